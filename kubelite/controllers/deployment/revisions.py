"""Revisions, rollback bookkeeping and history cleanup (DEP-9, DEP-26..28), pure.

- `next_revision(olds)`: 1 + the highest old revision (a missing annotation counts as 0).
- `rs_annotations(deployment_annotations, rs_annotations, revision, ...)`: the annotations the new
  RS should carry: every Deployment annotation except the skipped ones (DEP-9), its revision raised
  to `revision` only when smaller; when an existing revision is raised (a rollback reusing an old
  RS, DEP-27) the old number is appended to `revision-history` (comma-separated, at most
  `HISTORY_CHARS` characters, the oldest dropped). A created RS also gets `desired-replicas` and
  `max-replicas`.
- `with_replicas_annotations(annotations, replicas, max_total)`: DEP-35's rewrite on every scale.
- `cleanup(olds, limit)`: the names of old RSs history cleanup deletes (DEP-28): with more than
  `limit` candidates (no deletionTimestamp), sorted by revision, the first (count − limit) that are
  fully scaled down and observed; a None limit deletes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kubelite.controllers.deployment.model import (
    DESIRED_REPLICAS,
    LAST_APPLIED,
    MAX_REPLICAS,
    REVISION,
    REVISION_HISTORY,
    int_annotation,
)

HISTORY_CHARS = 2000
SKIPPED = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS})


def next_revision(old_revisions: Sequence[int]) -> int:
    return 1 + max(old_revisions, default=0)


def append_history(history: str, revision: str, limit: int = HISTORY_CHARS) -> str:
    entries = [entry for entry in history.split(",") if entry]
    while entries and len(",".join([*entries, revision])) > limit:
        entries.pop(0)
    combined = ",".join([*entries, revision])
    return combined if len(combined) <= limit else history


def copied_annotations(deployment: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in deployment.items() if k not in SKIPPED}


def rs_annotations(
    deployment: Mapping[str, str],
    current: Mapping[str, str],
    revision: int,
    *,
    history_chars: int = HISTORY_CHARS,
) -> dict[str, str]:
    result = dict(current)
    result.update(copied_annotations(deployment))
    existing = int_annotation(current, REVISION)
    if existing is None or existing < revision:
        result[REVISION] = str(revision)
    if existing is not None and existing < revision:
        result[REVISION_HISTORY] = append_history(
            current.get(REVISION_HISTORY, ""), str(existing), history_chars
        )
        if not result[REVISION_HISTORY]:
            del result[REVISION_HISTORY]
    return result


def with_replicas_annotations(
    annotations: Mapping[str, str], replicas: int, max_total: int
) -> dict[str, str]:
    return {**annotations, DESIRED_REPLICAS: str(replicas), MAX_REPLICAS: str(max_total)}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    name: str
    created: str
    revision: int
    replicas: int
    status_replicas: int
    observed: bool
    """`status.observedGeneration ≥ metadata.generation`."""
    deleting: bool = False


def cleanup(olds: Sequence[HistoryEntry], limit: int | None) -> list[str]:
    if limit is None:
        return []
    alive = [rs for rs in olds if not rs.deleting]
    excess = len(alive) - limit
    if excess <= 0:
        return []
    ordered = sorted(alive, key=lambda rs: (rs.revision, rs.created, rs.name))
    return [
        rs.name for rs in ordered[:excess] if rs.replicas == 0 and rs.status_replicas == 0 and rs.observed
    ]
