"""RS-6: the order in which a ReplicaSet deletes pods, one table row per rule, plus a full sort.

Each row gives two pods that tie on every earlier rule; the expected first one is deleted first
whichever order they are listed in.
"""

from __future__ import annotations

import pytest

from kubelite.api.core import ContainerStatus, Pod, PodCondition, PodSpec, PodStatus
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.clock import rfc3339
from kubelite.controllers.replicaset.ranking import DELETION_COST, deletion_order, log_bucket

NOW = 1_767_225_600.0


def _pod(
    uid: str,
    *,
    node: str = "n1",
    phase: str = "Running",
    ready_at: float | None = NOW - 3600,
    cost: str | None = None,
    restarts: int = 0,
    created: float = NOW - 7200,
) -> Pod:
    ready = "True" if ready_at is not None else "False"
    condition = PodCondition(
        type="Ready", status=ready, last_transition_time=rfc3339(ready_at if ready_at is not None else NOW)
    )
    ref = OwnerReference(api_version="apps/v1", kind="ReplicaSet", name="rs", uid="rs-uid", controller=True)
    meta = ObjectMeta(
        name=f"pod-{uid}",
        namespace="default",
        uid=uid,
        annotations={DELETION_COST: cost} if cost is not None else {},
        creation_timestamp=rfc3339(created),
        owner_references=[ref],
    )
    statuses = [ContainerStatus(name="c", restart_count=restarts)]
    return Pod(
        metadata=meta,
        spec=PodSpec(node_name=node),
        status=PodStatus(phase=phase, conditions=[condition], container_statuses=statuses),
    )


ROWS = [
    ("1-unassigned-first", _pod("b", node=""), _pod("a", node="n1", phase="Pending", ready_at=None)),
    ("2-pending-before-unknown", _pod("b", phase="Pending"), _pod("a", phase="Unknown")),
    ("2-unknown-before-running", _pod("b", phase="Unknown"), _pod("a", phase="Running")),
    ("3-not-ready-first", _pod("b", ready_at=None), _pod("a", cost="-100")),
    ("4-lower-cost-first", _pod("b", cost="-5"), _pod("a", cost="10", node="crowded")),
    ("4-absent-cost-is-0", _pod("b"), _pod("a", cost="1", node="crowded")),
    ("4-invalid-cost-is-0", _pod("b", cost="x"), _pod("a", cost="1")),
    (
        "5-higher-rank-first",
        _pod("b", node="crowded", ready_at=NOW - 5),
        _pod("a", node="n1", ready_at=NOW - 1),
    ),
    ("6-more-recently-ready-first", _pod("b", ready_at=NOW - 10), _pod("a", ready_at=NOW - 100, restarts=9)),
    ("6-same-bucket-lower-uid-first", _pod("a", ready_at=NOW - 11), _pod("b", ready_at=NOW - 10, restarts=9)),
    ("7-more-restarts-first", _pod("b", restarts=3), _pod("a", restarts=1, created=NOW - 1)),
    ("7-not-ready-more-restarts-first", _pod("b", ready_at=None, restarts=2), _pod("a", ready_at=None)),
    ("8-newer-first", _pod("b", created=NOW - 10), _pod("a", created=NOW - 1000)),
    ("8-same-bucket-lower-uid-first", _pod("a", created=NOW - 11), _pod("b", created=NOW - 10)),
]
RELATED = [
    _pod("r1", node="crowded"),
    _pod("r2", node="crowded"),
    _pod("r3", node="crowded"),
    _pod("r4", node="n1"),
    _pod("r5", node="crowded", phase="Succeeded"),  # not active: not counted
]


@pytest.mark.parametrize(("first", "second"), [(r[1], r[2]) for r in ROWS], ids=[r[0] for r in ROWS])
def test_rs6_deletion_order_rule_by_rule(first: Pod, second: Pod) -> None:
    assert deletion_order([second, first], RELATED, NOW)[0] is first
    assert deletion_order([first, second], RELATED, NOW)[0] is first


def test_rs6_log2_buckets_of_nanoseconds() -> None:
    assert log_bucket(NOW - 10, NOW) == log_bucket(NOW - 11, NOW) == 33  # 2^33 ns ≈ 8.6 s
    assert log_bucket(NOW - 20, NOW) == 34
    assert log_bucket(NOW, NOW) == -1
    assert log_bucket(NOW + 5, NOW) == -1


def test_rs6_a_whole_replica_set_sorts_in_rule_order() -> None:
    pods = {
        "running-old": _pod("g", ready_at=NOW - 5000),
        "running-recent": _pod("f", ready_at=NOW - 20),
        "running-crowded": _pod("e", node="crowded", ready_at=NOW - 5000),
        "cheap": _pod("d", cost="-1", ready_at=NOW - 5000),
        "unready": _pod("c", ready_at=None),
        "pending": _pod("b", phase="Pending", ready_at=None),
        "unassigned": _pod("a", node="", phase="Pending", ready_at=None),
    }
    related = [*pods.values(), *(_pod(f"x{i}", node="crowded") for i in range(5))]  # 6 vs 5 on n1
    order = deletion_order(list(reversed(pods.values())), related, NOW)
    names = {id(pod): name for name, pod in pods.items()}
    assert [names[id(pod)] for pod in order] == [
        "unassigned",
        "pending",
        "unready",
        "cheap",
        "running-crowded",
        "running-recent",
        "running-old",
    ]
