"""Node affinity and nodeSelector (SCH-4): operators, ORed terms, ANDed requirements, matchFields,
and the preferred-terms score (SCH-7)."""

from __future__ import annotations

import pytest

from kubelite.api.core import (
    Affinity,
    NodeAffinity,
    NodeSelector,
    NodeSelectorRequirement,
    NodeSelectorTerm,
    PreferredSchedulingTerm,
)
from kubelite.scheduler.plugins import NodeAffinity as NodeAffinityPlugin
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import node, node_info, pod

MISMATCH = ("node(s) didn't match Pod's node affinity/selector",)
LABELS = {"zone": "a", "disk": "ssd", "cores": "8"}


def req(key: str, operator: str, *values: str) -> NodeSelectorRequirement:
    return NodeSelectorRequirement(key=key, operator=operator, values=list(values))


def with_required(*terms: NodeSelectorTerm) -> PodInfo:
    subject = pod()
    required = NodeSelector(node_selector_terms=list(terms))
    subject.spec.affinity = Affinity(
        node_affinity=NodeAffinity(required_during_scheduling_ignored_during_execution=required)
    )
    return PodInfo(subject)


def fits(subject: PodInfo, name: str = "node-a", labels: dict[str, str] = LABELS) -> bool:
    return NodeAffinityPlugin().filter(subject, node_info(node(name, labels=labels))) is None


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        (req("zone", "In", "a", "b"), True),
        (req("zone", "In", "b"), False),
        (req("missing", "In", "a"), False),
        (req("zone", "NotIn", "b"), True),
        (req("zone", "NotIn", "a"), False),
        (req("missing", "NotIn", "a"), True),
        (req("disk", "Exists"), True),
        (req("missing", "Exists"), False),
        (req("missing", "DoesNotExist"), True),
        (req("disk", "DoesNotExist"), False),
        (req("cores", "Gt", "4"), True),
        (req("cores", "Gt", "8"), False),
        (req("cores", "Lt", "9"), True),
        (req("cores", "Lt", "8"), False),
        (req("disk", "Gt", "1"), False),
        (req("cores", "Gt", "x"), False),
        (req("cores", "Gt", "1", "2"), False),
        (req("missing", "Lt", "100"), False),
        (req("zone", "Bogus", "a"), False),
    ],
    ids=[
        "in",
        "in-miss",
        "in-absent",
        "notin",
        "notin-miss",
        "notin-absent",
        "exists",
        "exists-absent",
        "doesnotexist",
        "doesnotexist-present",
        "gt",
        "gt-equal",
        "lt",
        "lt-equal",
        "gt-label-not-int",
        "gt-value-not-int",
        "gt-two-values",
        "lt-absent",
        "unknown-operator",
    ],
)
def test_sch4_operators(requirement: NodeSelectorRequirement, expected: bool) -> None:
    assert fits(with_required(NodeSelectorTerm(match_expressions=[requirement]))) is expected


def test_sch4_terms_are_ored_and_requirements_anded() -> None:
    both = NodeSelectorTerm(match_expressions=[req("zone", "In", "a"), req("disk", "In", "hdd")])
    assert not fits(with_required(both))
    other = NodeSelectorTerm(match_expressions=[req("disk", "In", "ssd")])
    assert fits(with_required(both, other))


def test_sch4_empty_terms_match_nothing() -> None:
    assert not fits(with_required())
    assert not fits(with_required(NodeSelectorTerm()))
    result = NodeAffinityPlugin().filter(with_required(), node_info(node()))
    assert result == MISMATCH


@pytest.mark.parametrize(
    ("requirement", "expected"),
    [
        (req("metadata.name", "In", "node-a"), True),
        (req("metadata.name", "In", "node-b"), False),
        (req("metadata.name", "NotIn", "node-b"), True),
        (req("metadata.name", "NotIn", "node-a"), False),
        (req("metadata.uid", "In", "node-a"), False),
        (req("metadata.name", "Exists"), False),
        (req("metadata.name", "Gt", "node-a"), False),
    ],
    ids=["in", "in-miss", "notin", "notin-miss", "other-field", "exists-unsupported", "gt-unsupported"],
)
def test_sch4_match_fields_metadata_name(requirement: NodeSelectorRequirement, expected: bool) -> None:
    assert fits(with_required(NodeSelectorTerm(match_fields=[requirement]))) is expected


def test_sch4_node_selector_pairs_must_all_be_labels() -> None:
    assert fits(PodInfo(pod(node_selector={"zone": "a", "disk": "ssd"})))
    assert not fits(PodInfo(pod(node_selector={"zone": "a", "disk": "hdd"})))
    assert not fits(PodInfo(pod(node_selector={"gpu": "yes"})))
    assert not NodeAffinityPlugin().relevant(PodInfo(pod()))
    assert NodeAffinityPlugin().relevant(PodInfo(pod(node_selector={"zone": "a"})))
    assert NodeAffinityPlugin().relevant(
        with_required(NodeSelectorTerm(match_fields=[req("metadata.name", "In", "a")]))
    )


def test_sch7_preferred_terms_score_normalised() -> None:
    subject = pod()
    preferred = [
        PreferredSchedulingTerm(
            weight=80, preference=NodeSelectorTerm(match_expressions=[req("zone", "In", "a")])
        ),
        PreferredSchedulingTerm(
            weight=20, preference=NodeSelectorTerm(match_expressions=[req("disk", "In", "ssd")])
        ),
        PreferredSchedulingTerm(weight=50, preference=NodeSelectorTerm()),
    ]
    subject.spec.affinity = Affinity(
        node_affinity=NodeAffinity(preferred_during_scheduling_ignored_during_execution=preferred)
    )
    nodes = [
        node_info(node("both", labels={"zone": "a", "disk": "ssd"})),
        node_info(node("zone", labels={"zone": "a"})),
        node_info(node("disk", labels={"disk": "ssd"})),
        node_info(node("none")),
    ]
    assert NodeAffinityPlugin().score(PodInfo(subject), nodes) == [100, 80, 20, 0]
    assert NodeAffinityPlugin().score(PodInfo(pod()), nodes) is None
