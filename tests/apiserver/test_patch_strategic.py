"""Strategic merge patch on small local Structs carrying the same markers as the real kinds.

Cases follow Kubernetes' own (apimachinery strategicpatch tests and the "Update API Objects in
Place Using kubectl patch" task); the real kinds are exercised in test_patch_strategic_kinds.py.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Annotated, Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.errors import BadRequest
from kubelite.api.meta import Base
from kubelite.api.patchmeta import MergeKey, MergeSet, RetainKeys
from kubelite.apiserver.patch.merge import merge_patch
from kubelite.apiserver.patch.strategic import strategic_merge


class Port(Base):
    container_port: int
    protocol: str = ""


class Env(Base):
    name: str
    value: str = ""


class Mount(Base):
    mount_path: str
    name: str = ""


class Ctr(Base):
    name: str
    image: str = ""
    args: list[str] = []
    ports: Annotated[list[Port], MergeKey("containerPort")] = []
    env: Annotated[list[Env], MergeKey("name")] = []
    volume_mounts: Annotated[list[Mount], MergeKey("mountPath")] = []


class Toleration(Base):
    key: str = ""
    value: str = ""
    effect: str = ""


class Rolling(Base):
    max_surge: int | str | None = None
    max_unavailable: int | str | None = None


class Strategy(Base):
    type: str = ""
    rolling_update: Rolling | None = None


class Spec(Base):
    containers: Annotated[list[Ctr], MergeKey("name")] = []
    tolerations: list[Toleration] = []
    finalizers: Annotated[list[str], MergeSet()] = []
    numbers: Annotated[list[int], MergeSet()] = []
    labels: dict[str, str] = {}
    strategy: Annotated[Strategy, RetainKeys()] | None = None
    paused: bool = False


class Thing(Base):
    spec: Spec = msgspec.field(default_factory=Spec)


class Bare(Base):
    """No fields: everything merges as plain JSON merge."""


def smp(doc: dict[str, Any], patch: dict[str, Any], schema: type[msgspec.Struct] = Thing) -> dict[str, Any]:
    """Apply a strategic merge patch, checking that inputs are untouched and no directive leaks."""
    before = copy.deepcopy((doc, patch))
    try:
        result = strategic_merge(doc, patch, schema)
    finally:
        assert (doc, patch) == before
    assert not _directives(result), _directives(result)
    return result


def _directives(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [
            key
            for key in value
            if key.startswith(("$patch", "$retainKeys", "$setElementOrder", "$deleteFrom"))
        ]
        return own + [found for child in value.values() for found in _directives(child)]
    if isinstance(value, list):
        return [found for child in value for found in _directives(child)]
    return []


def spec(**members: Any) -> dict[str, Any]:
    return {"spec": members}


def names(result: dict[str, Any], field: str = "containers") -> list[Any]:
    return [element["name"] for element in result["spec"][field]]


def test_maps_merge_recursively_and_null_deletes() -> None:
    doc = spec(labels={"a": "1", "b": "2"}, paused=True)
    result = smp(doc, spec(labels={"b": None, "c": "3"}, paused=None, other=None))
    assert result == spec(labels={"a": "1", "c": "3"})


def test_containers_merge_by_name_and_new_ones_come_first() -> None:
    """The docs' patch-demo: adding `patch-demo-ctr-2` keeps `patch-demo-ctr`, listed after it."""
    doc = spec(containers=[{"name": "patch-demo-ctr", "image": "nginx"}])
    result = smp(doc, spec(containers=[{"name": "patch-demo-ctr-2", "image": "redis"}]))
    assert result["spec"]["containers"] == [
        {"name": "patch-demo-ctr-2", "image": "redis"},
        {"name": "patch-demo-ctr", "image": "nginx"},
    ]


def test_matched_element_is_merged_recursively() -> None:
    doc = spec(
        containers=[{"name": "web", "image": "a", "args": ["x"], "env": [{"name": "A", "value": "1"}]}]
    )
    result = smp(doc, spec(containers=[{"name": "web", "image": "b", "env": [{"name": "B", "value": "2"}]}]))
    assert result["spec"]["containers"] == [
        {
            "name": "web",
            "image": "b",
            "args": ["x"],
            "env": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
        }
    ]


@pytest.mark.parametrize(
    ("field", "live", "patch", "expected"),
    [
        (
            "env",
            [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            [{"name": "B", "value": "two"}],
            [{"name": "A", "value": "1"}, {"name": "B", "value": "two"}],
        ),
        (
            "volumeMounts",
            [{"mountPath": "/data", "name": "data"}, {"mountPath": "/etc", "name": "cfg"}],
            [{"mountPath": "/etc", "name": "config"}],
            [{"mountPath": "/data", "name": "data"}, {"mountPath": "/etc", "name": "config"}],
        ),
        (
            "ports",
            [{"containerPort": 80}, {"containerPort": 443}],
            [{"containerPort": 80, "protocol": "TCP"}],
            [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443}],
        ),
        ("args", ["a", "b"], ["c"], ["c"]),
    ],
    ids=["env-by-name", "volume-mounts-by-mount-path", "ports-by-container-port", "args-atomic"],
)
def test_container_lists(field: str, live: list[Any], patch: list[Any], expected: list[Any]) -> None:
    doc = spec(containers=[{"name": "web", field: live}])
    result = smp(doc, spec(containers=[{"name": "web", field: patch}]))
    assert result["spec"]["containers"][0][field] == expected


def test_atomic_list_is_replaced_whole() -> None:
    """Tolerations have no merge key: the docs show the patch's list replacing the live one."""
    doc = spec(tolerations=[{"effect": "NoSchedule", "key": "dedicated", "value": "test-team"}])
    patch = spec(tolerations=[{"effect": "NoSchedule", "key": "disktype", "value": "ssd"}])
    assert smp(doc, patch)["spec"]["tolerations"] == [
        {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}
    ]


def test_set_lists_take_the_union() -> None:
    assert smp(spec(numbers=[1, 2]), spec(numbers=[2, 3]))["spec"]["numbers"] == [1, 2, 3]
    assert smp(spec(finalizers=["a"]), spec(finalizers=["b"]))["spec"]["finalizers"] == ["b", "a"]


@pytest.mark.parametrize(
    ("live", "patch", "expected"),
    [
        (spec(numbers=[1, 2, 3]), {"$deleteFromPrimitiveList/numbers": [2]}, spec(numbers=[1, 3])),
        (spec(numbers=[1, 2]), {"$deleteFromPrimitiveList/numbers": [3]}, spec(numbers=[1, 2])),
        (spec(paused=True), {"$deleteFromPrimitiveList/numbers": [3]}, spec(paused=True)),
        (spec(numbers=[]), {"$deleteFromPrimitiveList/numbers": [3]}, spec(numbers=[])),
        (
            spec(finalizers=["a", "b"]),
            {"$deleteFromPrimitiveList/finalizers": ["a"], "finalizers": ["c"]},
            spec(finalizers=["c", "b"]),
        ),
        (spec(containers=[{"name": "w", "args": ["x", "y"]}]), None, None),
    ],
    ids=[
        "delete",
        "delete-absent-value",
        "absent-list-not-created",
        "empty-list",
        "delete-and-add",
        "atomic-list",
    ],
)
def test_delete_from_primitive_list(
    live: dict[str, Any], patch: dict[str, Any] | None, expected: Any
) -> None:
    if patch is None:  # works on lists without a merge strategy too, as in Kubernetes
        patch = {"containers": [{"name": "w", "$deleteFromPrimitiveList/args": ["x"]}]}
        expected = spec(containers=[{"name": "w", "args": ["y"]}])
    assert smp(live, {"spec": patch}) == expected


def test_patch_replace_on_a_map() -> None:
    doc = spec(labels={"a": "1", "b": "2"})
    assert smp(doc, spec(labels={"$patch": "replace", "c": "3"})) == spec(labels={"c": "3"})


def test_patch_replace_in_a_list() -> None:
    doc = spec(containers=[{"name": "a", "image": "1"}, {"name": "b", "image": "2"}])
    result = smp(doc, spec(containers=[{"name": "c", "image": "3"}, {"$patch": "replace"}]))
    assert result["spec"]["containers"] == [{"name": "c", "image": "3"}]
    assert smp(doc, spec(containers=[{"$patch": "replace"}]))["spec"]["containers"] == []


def test_patch_delete_removes_matching_elements() -> None:
    doc = spec(containers=[{"name": "a"}, {"name": "b", "image": "2"}, {"name": "a"}, {"name": "c"}])
    result = smp(doc, spec(containers=[{"name": "a", "$patch": "delete"}, {"name": "c", "$patch": "delete"}]))
    assert result["spec"]["containers"] == [{"name": "b", "image": "2"}]


def test_patch_delete_on_a_map_removes_the_member() -> None:
    doc = spec(labels={"a": "1"}, strategy={"type": "Recreate"})
    assert smp(doc, spec(strategy={"$patch": "delete"})) == spec(labels={"a": "1"})
    assert smp(doc, {"$patch": "delete"}) == {}


def test_patch_merge_is_the_default() -> None:
    doc = spec(labels={"a": "1"}, containers=[{"name": "w", "image": "1"}])
    patch = spec(
        labels={"$patch": "merge", "b": "2"}, containers=[{"name": "w", "$patch": "merge", "image": "2"}]
    )
    assert smp(doc, patch) == spec(labels={"a": "1", "b": "2"}, containers=[{"name": "w", "image": "2"}])


def test_retain_keys_clears_unlisted_members() -> None:
    """The docs' retainkeys-demo: switching to Recreate drops rollingUpdate."""
    doc = spec(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "30%"}}, paused=True)
    result = smp(doc, spec(strategy={"$retainKeys": ["type"], "type": "Recreate"}))
    assert result == spec(strategy={"type": "Recreate"}, paused=True)


def test_retain_keys_keeps_and_merges_listed_members() -> None:
    doc = spec(strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}})
    patch = spec(strategy={"$retainKeys": ["type", "rollingUpdate"], "rollingUpdate": {"maxSurge": 2}})
    assert smp(doc, patch) == spec(
        strategy={"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2, "maxUnavailable": 0}}
    )


def test_unknown_members_merge_as_plain_json_merge() -> None:
    doc = {"spec": {"extra": {"a": 1, "list": [{"name": "x", "v": 1}]}}, "kind": "Thing"}
    patch = {"spec": {"extra": {"b": 2, "list": [{"name": "x", "w": 2}]}}}
    assert smp(doc, patch) == {
        "spec": {"extra": {"a": 1, "b": 2, "list": [{"name": "x", "w": 2}]}},
        "kind": "Thing",
    }


def test_new_members_and_elements_are_cleaned_of_directives_and_nulls() -> None:
    patch = spec(
        labels={"$patch": "replace", "a": "1", "gone": None},
        containers=[
            {"name": "new", "env": [{"name": "X", "$patch": "delete"}, {"name": "Y"}], "image": None}
        ],
    )
    assert smp({}, patch) == spec(labels={"a": "1"}, containers=[{"name": "new", "env": [{"name": "Y"}]}])


def test_type_mismatch_replaces() -> None:
    assert smp(spec(labels="oops"), spec(labels={"a": "1"})) == spec(labels={"a": "1"})
    assert smp(spec(containers={"x": 1}), spec(containers=[{"name": "a"}])) == spec(
        containers=[{"name": "a"}]
    )


MALFORMED: list[tuple[str, dict[str, Any], str]] = [
    ("no-merge-key", spec(containers=[{"image": "x"}]), "does not contain declared merge key: name"),
    ("delete-without-key", spec(containers=[{"$patch": "delete"}]), "does not contain declared merge key"),
    ("element-not-object", spec(containers=["web"]), "must be objects"),
    ("unknown-patch-type", spec(labels={"$patch": "frob"}), "unknown patch type"),
    ("unknown-patch-type-in-list", spec(containers=[{"name": "a", "$patch": "frob"}]), "unknown patch type"),
    ("set-of-objects", spec(numbers=[{"a": 1}]), "may hold only scalars"),
    ("retain-keys-not-list", spec(strategy={"$retainKeys": "type"}), "must be a list"),
    ("retain-keys-violated", spec(strategy={"$retainKeys": ["type"], "rollingUpdate": {}}), "does not name"),
    ("order-not-list", spec(**{"$setElementOrder/containers": {"name": "a"}}), "must be a list"),
    ("order-without-field", spec(**{"$setElementOrder": []}), "expected"),
    ("order-entry-without-key", spec(**{"$setElementOrder/containers": [{"image": "a"}]}), "merge key"),
    (
        "order-mismatch",
        spec(
            **{
                "$setElementOrder/containers": [{"name": "1"}, {"name": "2"}],
                "containers": [{"name": "2"}, {"name": "1"}],
            }
        ),
        "doesn't match",
    ),
    ("delete-list-not-list", spec(**{"$deleteFromPrimitiveList/numbers": 1}), "must be a list"),
]


@pytest.mark.parametrize(("patch", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_api12_malformed_strategic_patches_are_400(patch: dict[str, Any], message: str) -> None:
    doc = spec(containers=[{"name": "1"}, {"name": "2"}], strategy={"type": "Recreate"})
    with pytest.raises(BadRequest) as caught:
        smp(doc, patch)
    assert message in caught.value.message


_KEYS = st.sampled_from(
    ["spec", "containers", "name", "image", "env", "labels", "numbers", "finalizers", "a", "b"]
)
_DIRECTIVES = st.sampled_from(
    ["$patch", "$retainKeys", "$setElementOrder/containers", "$deleteFromPrimitiveList/numbers"]
)
_SCALARS = (
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["a", "b", "replace", "delete", "merge"])
)
_DOC_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=16,
)
_PATCH_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS | _DIRECTIVES, inner, max_size=4),
    max_leaves=16,
)


@given(
    doc=st.dictionaries(_KEYS, _DOC_JSON, max_size=3),
    patch=st.dictionaries(_KEYS | _DIRECTIVES, _PATCH_JSON, max_size=3),
)
def test_no_input_is_mutated_and_no_directive_leaks(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for schema in (Thing, Bare):
        with contextlib.suppress(BadRequest):  # a malformed random patch is fine; mutation is not
            smp(doc, patch, schema)


_PLAIN_KEYS = st.sampled_from(["a", "b", "c"])
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: st.lists(_SCALARS, max_size=3) | st.dictionaries(_PLAIN_KEYS, inner, max_size=3),
    max_leaves=12,
)


@given(
    doc=st.dictionaries(_PLAIN_KEYS, _PLAIN, max_size=3),
    patch=st.dictionaries(_PLAIN_KEYS, _PLAIN, max_size=3),
)
def test_without_schema_markers_it_is_a_json_merge_patch(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    assert smp(doc, patch, Bare) == merge_patch(doc, patch)
