"""Tables for proportional scaling (DEP-22..24) and revisions, rollback and history (DEP-26..28)."""

from __future__ import annotations

import pytest

from kubelite.controllers.deployment.fenceposts import fenceposts
from kubelite.controllers.deployment.model import Resize, RSView
from kubelite.controllers.deployment.proportion import go_round, plan_proportional
from kubelite.controllers.deployment.revisions import (
    HistoryEntry,
    append_history,
    cleanup,
    next_revision,
    rs_annotations,
)

REV, HIST = "deployment.kubernetes.io/revision", "deployment.kubernetes.io/revision-history"


def test_dep24_docs_example_scaling_10_to_15_mid_rollout() -> None:
    """DEP-24: replicas 10, maxSurge 3, old RS 8, new RS 5, both max-replicas=13; scaling to 15 gives
    toAdd = 18 − 13 = 5: old round(8·18/13) = 11 (+3), new round(5·18/13) = 7 (+2)."""
    old = RSView("old", created="1", replicas=8, max_replicas=13, desired=10)
    new = RSView("new", created="2", replicas=5, max_replicas=13, desired=10)
    steps = plan_proportional(new, [old], fenceposts(15, 3, 2), status_replicas=13)
    assert steps == [Resize("old", 11), Resize("new", 7)]


@pytest.mark.parametrize(
    ("new", "olds", "replicas", "expected"),
    [
        (RSView("n", "2", replicas=3), [RSView("o", "1")], 5, [Resize("n", 5)]),
        (None, [RSView("a", "1"), RSView("b", "2")], 4, [Resize("b", 4)]),
        (RSView("n", "2"), [RSView("o", "1")], 4, [Resize("n", 4)]),
        (RSView("n", "2", replicas=4), [], 4, []),
        (None, [], 4, []),
        (
            RSView("n", "2", replicas=4, available=4, desired=4),
            [RSView("o", "1", replicas=2), RSView("z", "0")],
            4,
            [Resize("o", 0)],
        ),
    ],
    ids=[
        "one-active",
        "none-active-newest-old",
        "none-active-new",
        "already-sized",
        "no-rs-at-all",
        "saturated-new",
    ],
)
def test_dep22_single_active_or_saturated(
    new: RSView | None, olds: list[RSView], replicas: int, expected: list[Resize]
) -> None:
    """DEP-22: with at most one active RS, it (else the new RS, else the newest) gets replicas; a
    saturated new RS (spec, desired-replicas and available all = replicas) sends active olds to 0. With
    no RS at all (a Deployment created paused) there is nothing to scale, as upstream's loop over none."""
    assert plan_proportional(new, olds, fenceposts(replicas, 1, 0), status_replicas=0) == expected


def test_dep23_scaling_down_ties_go_older_first_leftover_to_the_first_and_zero_replicas() -> None:
    """DEP-23: shrinking sorts by size, ties older first; the leftover goes to the first RS (≥ 0);
    with replicas 0 every RS loses all; a missing max-replicas uses the Deployment's status.replicas."""
    a, b = RSView("a", "1", replicas=3, max_replicas=7), RSView("b", "2", replicas=3, max_replicas=7)
    # 6 → allowed 2+1 = 3: fraction round(3·3/7) − 3 = −2 each; a first (older): −2, b: max(−2, −1) = −1
    assert plan_proportional(b, [a], fenceposts(2, 1, 0), status_replicas=6) == [
        Resize("a", 1),
        Resize("b", 2),
    ]
    assert plan_proportional(b, [a], fenceposts(0, 1, 0), status_replicas=6) == [
        Resize("a", 0),
        Resize("b", 0),
    ]
    bare_a, bare_b = RSView("a", "1", replicas=2), RSView("b", "2", replicas=2)
    # growing 4 → 8 + 2 = 10, no annotation: status.replicas 4: each round(2·10/4) − 2 = +3; newer first
    assert plan_proportional(bare_b, [bare_a], fenceposts(8, 2, 0), status_replicas=4) == [
        Resize("b", 5),
        Resize("a", 5),
    ]
    assert plan_proportional(b, [a], fenceposts(2, 1, 0), status_replicas=6, rolling=False) == []
    assert (go_round(2.5), go_round(-2.5), go_round(2.49)) == (3, -3, 2)


def test_dep26_next_revision_and_raising_only_when_smaller() -> None:
    """DEP-26: newRevision = 1 + max(old revisions) (missing = 0); the new RS's revision is raised only
    if smaller; Deployment annotations are copied except the skipped ones (DEP-9)."""
    assert next_revision([]) == 1
    assert next_revision([0, 3, 1]) == 4
    deployment = {
        REV: "9",
        "kubernetes.io/change-cause": "v2",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
    }
    assert rs_annotations(deployment, {}, 1) == {REV: "1", "kubernetes.io/change-cause": "v2"}
    assert rs_annotations({}, {REV: "5"}, 4) == {REV: "5"}


def test_dep27_rollback_raises_the_old_rs_to_max_plus_one_and_records_history() -> None:
    """DEP-27: A=1, B=2; undo to 1 makes A revision 3 with history "1"; history is comma-separated,
    ≤ 2000 characters, oldest dropped."""
    assert rs_annotations({}, {REV: "1"}, 3) == {REV: "3", HIST: "1"}
    assert rs_annotations({}, {REV: "3", HIST: "1"}, 5) == {REV: "5", HIST: "1,3"}
    assert append_history("1,2,3", "44", limit=7) == "2,3,44"
    assert append_history("", "7") == "7"


def _entry(
    name: str, revision: int, replicas: int = 0, *, status: int = 0, observed: bool = True
) -> HistoryEntry:
    return HistoryEntry(name, f"t{revision}", revision, replicas, status, observed)


def test_dep28_cleanup_deletes_the_oldest_scaled_down_revisions_beyond_the_limit() -> None:
    """DEP-28: candidates are old RSs without deletionTimestamp; beyond the limit, sorted by revision,
    the first (count − limit) with spec and status replicas 0 and observed are deleted; limit 0
    deletes every scaled-down old RS; a nil limit deletes nothing."""
    olds = [_entry("r3", 3), _entry("r1", 1), _entry("r2", 2, 1), _entry("r4", 4, status=1)]
    assert cleanup(olds, 2) == ["r1"]  # r2 (replicas 1) is among the first two but kept
    assert cleanup(olds, 0) == ["r1", "r3"]
    assert cleanup(olds, None) == []
    assert cleanup([_entry("a", 1, observed=False), _entry("b", 2)], 1) == []
    deleting = HistoryEntry("d", "t0", 0, 0, 0, True, deleting=True)
    assert cleanup([deleting, _entry("b", 2)], 1) == []
