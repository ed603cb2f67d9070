"""Which pods a ReplicaSet deletes first when it scales down (RS-6), as a pure sort.

`deletion_order(pods, related, now)` returns `pods` sorted so that the first ones are deleted first.
`related` are the pods used for the per-node rank: the active pods owned by this ReplicaSet or by a
sibling with the same controlling owner. The first rule that differs decides:

1. unassigned (`spec.nodeName == ""`) before assigned;
2. phase Pending before Unknown before Running;
3. not Ready before Ready;
4. lower `controller.kubernetes.io/pod-deletion-cost` first (an int32; absent or invalid is 0);
5. higher rank first: how many related active pods share the pod's node;
6. if both are Ready, the more recently ready first, compared by `floor(log2(ns since the Ready
   transition))`; equal buckets go lower-UID first (and end the comparison);
7. higher maximum container `restartCount` first;
8. newer `creationTimestamp` first, with the same bucketing and UID tie-break.

A missing timestamp sorts first in rules 6 and 8 (upstream's "empty time < less time < more time").
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

from kubelite.api.core import Pod
from kubelite.clock import parse_rfc3339
from kubelite.controllers.replicaset.pods import is_active, is_ready, ready_since

DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}
_INT32 = (-(2**31), 2**31 - 1)


def deletion_cost(pod: Pod) -> int:
    text = pod.metadata.annotations.get(DELETION_COST)
    if text is None:
        return 0
    try:
        value = int(text.strip())
    except ValueError:
        return 0
    return value if _INT32[0] <= value <= _INT32[1] else 0


def max_restarts(pod: Pod) -> int:
    return max((status.restart_count for status in pod.status.container_statuses), default=0)


def node_ranks(related: Iterable[Pod]) -> Counter[str]:
    """Active related pods per node name."""
    return Counter(pod.spec.node_name for pod in related if is_active(pod))


def log_bucket(then: float, now: float) -> int:
    """`floor(log2(nanoseconds from then to now))`, or -1 when then is not before now."""
    nanoseconds = round((now - then) * 1e9)
    return int(math.log2(nanoseconds)) if nanoseconds > 0 else -1


def _by_time(a: Pod, b: Pod, ta: float | None, tb: float | None, now: float) -> int | None:
    """Rules 6 and 8: the more recent first; None when equal (the next rule decides)."""
    if ta == tb:
        return None
    if ta is None or tb is None:
        return -1 if ta is None else 1
    diff = log_bucket(ta, now) - log_bucket(tb, now)
    if diff == 0:
        return -1 if a.metadata.uid < b.metadata.uid else 1
    return -1 if diff < 0 else 1


def _first_differing(a: Pod, b: Pod, ranks: Counter[str]) -> int | None:
    """Rules 1-5 (and 7 is done by the caller): a negative number puts `a` first."""
    if a.spec.node_name != b.spec.node_name and not (a.spec.node_name and b.spec.node_name):
        return -1 if not a.spec.node_name else 1
    keys = (
        (_PHASE_ORDER.get(a.status.phase, 0), _PHASE_ORDER.get(b.status.phase, 0)),
        (int(is_ready(a)), int(is_ready(b))),
        (deletion_cost(a), deletion_cost(b)),
        (-ranks[a.spec.node_name], -ranks[b.spec.node_name]),
    )
    for left, right in keys:
        if left != right:
            return -1 if left < right else 1
    return None


def compare(a: Pod, b: Pod, ranks: Counter[str], now: float) -> int:
    decided = _first_differing(a, b, ranks)
    if decided is not None:
        return decided
    if is_ready(a) and is_ready(b):
        decided = _by_time(a, b, ready_since(a), ready_since(b), now)
        if decided is not None:
            return decided
    restarts_a, restarts_b = max_restarts(a), max_restarts(b)
    if restarts_a != restarts_b:
        return -1 if restarts_a > restarts_b else 1
    decided = _by_time(a, b, _created(a), _created(b), now)
    return decided if decided is not None else 0


def _created(pod: Pod) -> float | None:
    stamp = pod.metadata.creation_timestamp
    return parse_rfc3339(stamp) if stamp else None


def deletion_order(pods: Sequence[Pod], related: Iterable[Pod], now: float) -> list[Pod]:
    ranks = node_ranks(related)

    def by_rules(a: Pod, b: Pod) -> int:
        return compare(a, b, ranks, now)

    return sorted(pods, key=functools.cmp_to_key(by_rules))
