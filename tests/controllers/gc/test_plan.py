"""The collector's pure decisions (GC-3, GC-5, GC-6 outcome tables) and the graph's queueing."""

from __future__ import annotations

import pytest

from kubelite.api.core import ConfigMap
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.api.registry import builtin_registry
from kubelite.controllers.garbagecollector.graph import Graph, Node, OwnerRef, node_of
from kubelite.controllers.garbagecollector.plan import (
    Delete,
    Keep,
    RefState,
    RemoveRefs,
    foreground_done,
    own_policy,
    plan_dependent,
    unblock_first,
)

S, W, D = RefState.SOLID, RefState.WAITING, RefState.DANGLING
CM = builtin_registry().by_type(ConfigMap)


@pytest.mark.parametrize(
    ("refs", "finalizers", "has_dependents", "expected"),
    [
        ([], [], False, Keep()),
        ([("a", S)], [], False, Keep()),
        ([("a", S), ("b", D)], [], False, RemoveRefs(("b",))),
        ([("a", W), ("b", S)], [], True, RemoveRefs(("a",))),
        ([("a", D)], [], False, Delete("Background")),
        ([("a", D), ("b", D)], ["orphan"], True, Delete("Orphan")),
        ([("a", D)], ["foregroundDeletion"], False, Delete("Foreground")),
        ([("a", W)], [], False, Delete("Background")),
        ([("a", W)], [], True, Delete("Foreground")),
        ([("a", W), ("b", D)], ["orphan"], True, Delete("Foreground")),
    ],
    ids=[
        "gc3-no-owners-never-collected",
        "solid-owner-keeps",
        "gc3-some-absent-refs-patched-away",
        "gc5-waiting-ref-dropped-while-another-owner-lives",
        "gc3-all-absent-background",
        "gc3-all-absent-honours-orphan",
        "gc3-all-absent-honours-foreground",
        "gc5-owner-waits-leaf-dependent-deleted",
        "gc5-owner-waits-dependent-with-dependents-deleted-in-foreground",
        "gc5-waiting-owner-wins-over-own-orphan-finalizer",
    ],
)
def test_gc3_gc5_dependent_outcomes(
    refs: list[tuple[str, RefState]], finalizers: list[str], has_dependents: bool, expected: object
) -> None:
    assert plan_dependent(refs, finalizers, has_dependents) == expected


@pytest.mark.parametrize(
    ("blocking", "done"),
    [([], True), ([False, False], True), ([False, True], False), ([True], False)],
    ids=["no-dependents", "only-non-blocking", "one-blocking-left", "blocking"],
)
def test_gc5_foreground_finalizer_goes_once_no_blocking_dependent_is_left(
    blocking: list[bool], done: bool
) -> None:
    assert foreground_done(blocking) is done


@pytest.mark.parametrize(
    ("action", "dependents_foreground", "unblock"),
    [
        (Delete("Foreground"), [False, True], True),
        (Delete("Foreground"), [False], False),
        (Delete("Background"), [True], False),
        (Keep(), [True], False),
    ],
    ids=["cycle", "no-foreground-dependent", "background", "keep"],
)
def test_gc5_cycle_guard_unblocks_before_a_foreground_delete_whose_dependent_waits_too(
    action: Delete | Keep, dependents_foreground: list[bool], unblock: bool
) -> None:
    """Upstream's attemptToDeleteItem: a Foreground delete of an object with a dependent that is
    itself deleting its dependents first sets the object's blockOwnerDeletion references to false."""
    assert unblock_first(action, dependents_foreground) is unblock


@pytest.mark.parametrize(
    ("finalizers", "policy"),
    [([], "Background"), (["example.com/x", "orphan"], "Orphan"), (["foregroundDeletion"], "Foreground")],
)
def test_gc6_policy_recorded_by_the_objects_own_finalizers(finalizers: list[str], policy: str) -> None:
    assert own_policy(finalizers) == policy


def _node(
    uid: str, *owners: OwnerRef, foreground: bool = False, orphan: bool = False, ns: str = "default"
) -> Node:
    deleting = foreground or orphan
    return Node(uid, CM, ns, uid, owners, deleting=deleting, foreground=foreground, orphan=orphan)


def _ref(uid: str, blocking: bool = False) -> OwnerRef:
    return OwnerRef(uid, "v1", "ConfigMap", uid, blocking)


def test_graph_queues_dependents_of_absent_owners_and_not_of_present_ones() -> None:
    graph = Graph()
    assert graph.put(_node("owner")) == []
    assert graph.put(_node("child", _ref("owner"))) == []
    assert graph.put(_node("lost", _ref("ghost"))) == ["lost"]
    assert graph.put(_node("far", _ref("owner"), ns="other")) == ["far"]  # not reachable: check it
    assert graph.remove("owner") == ["child", "far"]
    assert [n.uid for n in graph.dependents("owner")] == ["child", "far"]


def test_graph_foreground_owner_queues_itself_and_its_dependents_and_is_released() -> None:
    graph = Graph()
    graph.put(_node("owner"))
    graph.put(_node("a", _ref("owner", blocking=True)))
    graph.put(_node("b", _ref("owner")))
    assert graph.put(_node("owner", foreground=True)) == ["owner", "a", "b"]
    assert graph.put(_node("a", _ref("owner", blocking=False))) == ["a", "owner"]  # unblocked
    assert graph.remove("b") == ["owner"]
    assert graph.put(_node("owner", orphan=True)) == ["owner"]


def test_graph_relist_removes_what_the_list_no_longer_holds() -> None:
    graph = Graph()
    graph.put(_node("owner"))
    graph.put(_node("child", _ref("owner")))
    assert graph.replace(CM, [_node("child", _ref("owner"))]) == ["child"]
    assert graph.get("owner") is None and len(graph) == 1


def test_node_keeps_only_the_collectors_fields() -> None:
    meta = ObjectMeta(
        name="cm",
        namespace="default",
        uid="u",
        deletion_timestamp="2026-01-01T00:00:00Z",
        finalizers=["foregroundDeletion"],
        owner_references=[
            OwnerReference(api_version="v1", kind="ConfigMap", name="o", uid="o", block_owner_deletion=True)
        ],
    )
    node = node_of(CM, ConfigMap(metadata=meta, data={"big": "x" * 1000}))
    assert node == Node(
        "u", CM, "default", "cm", (OwnerRef("o", "v1", "ConfigMap", "o", True),), True, True, False
    )
