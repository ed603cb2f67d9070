"""Completion indexes of Indexed Jobs (JOB-6), pure.

- `format_intervals(indexes)`: ascending, a run of three or more as `a-b`, shorter runs as
  single numbers: {0, 1, 3, 4, 5, 7} → `"0,1,3-5,7"`; no indexes → `""`.
- `parse_intervals(text, limit)`: the set `text` names; parts that are not `n` or `a-b` with
  `0 ≤ a ≤ b`, and indexes `≥ limit`, are skipped (upstream skips what it cannot parse, so one
  bad part never loses the rest). `parse_intervals(format_intervals(s)) == s`.
- `completion_index(pod)`: the pod's `batch.kubernetes.io/job-completion-index` annotation (the
  label as a fallback) as an int ≥ 0, else None.
- `pending_indexes(completions, succeeded, active, count)`: the `count` lowest indexes below
  `completions` that have neither succeeded nor an active pod.
- `split_duplicates(pods, completions)`: active pods with no valid index, or an index ≥
  completions, plus all but one pod of each index (the one kept is the one RS-6 would delete
  last), as `(remove, keep)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kubelite.api.core import Pod
from kubelite.controllers.replicaset.ranking import deletion_order

COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"


def format_intervals(indexes: Iterable[int]) -> str:
    parts: list[str] = []
    ordered = sorted(set(indexes))
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[start], ordered[end]
        if last - first >= 2:
            parts.append(f"{first}-{last}")
        else:
            parts.extend(str(i) for i in range(first, last + 1))
        start = end + 1
    return ",".join(parts)


def _parse_part(part: str) -> range | None:
    first, dash, last = part.strip().partition("-")
    if not first.isdigit() or (dash and not last.isdigit()):
        return None
    low, high = int(first), int(last) if dash else int(first)
    return range(low, high + 1) if low <= high else None


def parse_intervals(text: str, limit: int | None = None) -> set[int]:
    found: set[int] = set()
    for part in text.split(",") if text else ():
        span = _parse_part(part)
        if span is None:
            continue
        if limit is not None:
            span = range(span.start, min(span.stop, limit))
        found.update(span)
    return found


def completion_index(pod: Pod) -> int | None:
    meta = pod.metadata
    text = meta.annotations.get(COMPLETION_INDEX, meta.labels.get(COMPLETION_INDEX))
    if text is None or not text.isdigit():
        return None
    return int(text)


def pending_indexes(completions: int, succeeded: set[int], active: set[int], count: int) -> list[int]:
    found: list[int] = []
    for index in range(completions):
        if len(found) >= count:
            break
        if index not in succeeded and index not in active:
            found.append(index)
    return found


def split_duplicates(pods: Sequence[Pod], completions: int, now: float) -> tuple[list[Pod], list[Pod]]:
    remove: list[Pod] = []
    groups: dict[int, list[Pod]] = {}
    for pod in pods:
        index = completion_index(pod)
        if index is None or index >= completions:
            remove.append(pod)
        else:
            groups.setdefault(index, []).append(pod)
    keep: list[Pod] = []
    for index in sorted(groups):
        ordered = deletion_order(groups[index], pods, now)
        remove.extend(ordered[:-1])
        keep.append(ordered[-1])
    return remove, keep
