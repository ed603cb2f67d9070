"""GC-8: the deletion conditions of a terminating namespace, with upstream's reasons and messages."""

from __future__ import annotations

from collections import Counter

from kubelite.api.core import NamespaceCondition
from kubelite.clock import rfc3339
from kubelite.controllers.namespace.conditions import Content, deletion_conditions, merge_conditions

ALWAYS = [
    (
        "NamespaceDeletionDiscoveryFailure",
        "False",
        "ResourcesDiscovered",
        "All resources successfully discovered",
    ),
    (
        "NamespaceDeletionGroupVersionParsingFailure",
        "False",
        "ParsedGroupVersions",
        "All legacy kube types successfully parsed",
    ),
]


def _rows(conditions: list[NamespaceCondition]) -> list[tuple[str, str, str, str]]:
    return [(c.type, c.status, c.reason, c.message) for c in conditions]


def test_gc8_conditions_while_content_and_finalizers_remain() -> None:
    content = Content(
        remaining=Counter({"pods.": 2, "replicasets.apps": 1}),
        finalizers=Counter({"example.com/hold": 1, "foregroundDeletion": 1}),
    )
    assert _rows(deletion_conditions(content)) == [
        *ALWAYS,
        (
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization",
        ),
        (
            "NamespaceContentRemaining",
            "True",
            "SomeResourcesRemain",
            "Some resources are remaining: pods. has 2 resource instances, replicasets.apps has 1 resource instances",
        ),
        (
            "NamespaceFinalizersRemaining",
            "True",
            "SomeFinalizersRemain",
            "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances, "
            "foregroundDeletion in 1 resource instances",
        ),
    ]


def test_gc8_conditions_once_empty_and_after_failures() -> None:
    assert _rows(deletion_conditions(Content()))[2:] == [
        (
            "NamespaceDeletionContentFailure",
            "False",
            "ContentDeleted",
            "All content successfully deleted, may be waiting on finalization",
        ),
        ("NamespaceContentRemaining", "False", "ContentRemoved", "All content successfully removed"),
        (
            "NamespaceFinalizersRemaining",
            "False",
            "ContentHasNoFinalizers",
            "All content-preserving finalizers finished",
        ),
    ]
    failed = deletion_conditions(Content(failures=["pods: boom", "secrets: bang"]))[2]
    assert (failed.status, failed.reason, failed.message) == (
        "True",
        "ContentDeletionFailed",
        "Failed to delete all resource types, 2 remaining: pods: boom, secrets: bang",
    )


def test_transition_time_moves_only_when_the_status_changes() -> None:
    first = merge_conditions([], deletion_conditions(Content(remaining=Counter({"pods.": 1}))), 100.0)
    assert {c.last_transition_time for c in first} == {rfc3339(100.0)}
    second = merge_conditions(first, deletion_conditions(Content(remaining=Counter({"pods.": 3}))), 200.0)
    assert second[3].last_transition_time == rfc3339(100.0) and "3 resource instances" in second[3].message
    third = merge_conditions(second, deletion_conditions(Content()), 300.0)
    assert [c.last_transition_time for c in third] == [rfc3339(100.0)] * 3 + [rfc3339(300.0), rfc3339(100.0)]
