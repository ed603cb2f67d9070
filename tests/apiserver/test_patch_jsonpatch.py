"""JSON Patch (RFC 6902): the RFC's examples, pointer escapes, 400 vs 422 errors (API-12), invariants."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.errors import BadRequest, Invalid
from kubelite.apiserver.patch.jsonpatch import apply_json_patch, parse_json_patch
from kubelite.apiserver.patch.pointer import format_pointer, parse_pointer


def run(doc: Any, ops: Any) -> Any:
    """Apply a decoded JSON patch, checking that neither input is mutated."""
    before = copy.deepcopy((doc, ops))
    try:
        return apply_json_patch(doc, parse_json_patch(ops))
    finally:
        assert (doc, ops) == before


# RFC 6902 Appendix A (A.1-A.8, A.10, A.11, A.14, A.16): document, patch, result.
APPLIES: list[tuple[str, Any, list[dict[str, Any]], Any]] = [
    (
        "a1-add-member",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz", "value": "qux"}],
        {"baz": "qux", "foo": "bar"},
    ),
    (
        "a2-add-array-element",
        {"foo": ["bar", "baz"]},
        [{"op": "add", "path": "/foo/1", "value": "qux"}],
        {"foo": ["bar", "qux", "baz"]},
    ),
    (
        "a3-remove-member",
        {"baz": "qux", "foo": "bar"},
        [{"op": "remove", "path": "/baz"}],
        {"foo": "bar"},
    ),
    (
        "a4-remove-array-element",
        {"foo": ["bar", "qux", "baz"]},
        [{"op": "remove", "path": "/foo/1"}],
        {"foo": ["bar", "baz"]},
    ),
    (
        "a5-replace",
        {"baz": "qux", "foo": "bar"},
        [{"op": "replace", "path": "/baz", "value": "boo"}],
        {"baz": "boo", "foo": "bar"},
    ),
    (
        "a6-move-member",
        {"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
        [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
        {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}},
    ),
    (
        "a7-move-array-element",
        {"foo": ["all", "grass", "cows", "eat"]},
        [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
        {"foo": ["all", "cows", "eat", "grass"]},
    ),
    (
        "a8-test-success",
        {"baz": "qux", "foo": ["a", 2, "c"]},
        [{"op": "test", "path": "/baz", "value": "qux"}, {"op": "test", "path": "/foo/1", "value": 2}],
        {"baz": "qux", "foo": ["a", 2, "c"]},
    ),
    (
        "a10-add-nested-object",
        {"foo": "bar"},
        [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
        {"foo": "bar", "child": {"grandchild": {}}},
    ),
    (
        "a11-unknown-members-ignored",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz", "value": "qux", "xyz": 123}],
        {"foo": "bar", "baz": "qux"},
    ),
    (
        "a14-escapes",
        {"/": 9, "~1": 10},
        [{"op": "test", "path": "/~01", "value": 10}],
        {"/": 9, "~1": 10},
    ),
    (
        "a16-add-array-value",
        {"foo": ["bar"]},
        [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
        {"foo": ["bar", ["abc", "def"]]},
    ),
    ("append-with-dash", {"a": [1]}, [{"op": "add", "path": "/a/-", "value": 2}], {"a": [1, 2]}),
    ("add-at-end-index", {"a": [1]}, [{"op": "add", "path": "/a/1", "value": 2}], {"a": [1, 2]}),
    ("add-replaces-member", {"a": 1}, [{"op": "add", "path": "/a", "value": 2}], {"a": 2}),
    ("replace-root", {"a": 1}, [{"op": "replace", "path": "", "value": {"b": 2}}], {"b": 2}),
    (
        "copy",
        {"a": {"x": [1]}},
        [{"op": "copy", "from": "/a", "path": "/b"}],
        {"a": {"x": [1]}, "b": {"x": [1]}},
    ),
    ("move-to-itself", {"a": 1}, [{"op": "move", "from": "/a", "path": "/a"}], {"a": 1}),
    ("test-null", {"a": None}, [{"op": "test", "path": "/a", "value": None}], {"a": None}),
    ("test-int-equals-float", {"a": 1}, [{"op": "test", "path": "/a", "value": 1.0}], {"a": 1}),
    (
        "test-objects-unordered",
        {"a": {"x": 1, "y": [1, 2]}},
        [{"op": "test", "path": "/a", "value": {"y": [1, 2], "x": 1}}],
        {"a": {"x": 1, "y": [1, 2]}},
    ),
    ("slash-in-key", {"a/b": 1}, [{"op": "replace", "path": "/a~1b", "value": 2}], {"a/b": 2}),
    (
        "operations-in-order",
        {},
        [{"op": "add", "path": "/a", "value": {}}, {"op": "add", "path": "/a/b", "value": 1}],
        {"a": {"b": 1}},
    ),
]


@pytest.mark.parametrize(("doc", "ops", "expected"), [c[1:] for c in APPLIES], ids=[c[0] for c in APPLIES])
def test_rfc6902_operations(doc: Any, ops: list[dict[str, Any]], expected: Any) -> None:
    assert run(doc, ops) == expected


def test_kubectl_rollout_undo_patch() -> None:
    """`kubectl rollout undo` replaces the template and the annotations with a JSON patch."""
    doc = {
        "metadata": {"name": "web", "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {
            "replicas": 3,
            "template": {"spec": {"containers": [{"name": "web", "image": "busybox:2"}]}},
        },
    }
    old_template = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "busybox:1"}]},
    }
    ops = [
        {"op": "replace", "path": "/spec/template", "value": old_template},
        {
            "op": "replace",
            "path": "/metadata/annotations",
            "value": {"deployment.kubernetes.io/revision": "2"},
        },
    ]
    result = run(doc, ops)
    assert result["spec"] == {"replicas": 3, "template": old_template}


# Operations that do not apply: 422 Invalid with a message naming what failed.
DOES_NOT_APPLY: list[tuple[str, Any, list[dict[str, Any]], str]] = [
    (
        "a9-test-fails",
        {"baz": "qux"},
        [{"op": "test", "path": "/baz", "value": "bar"}],
        "testing value /baz failed",
    ),
    (
        "a12-add-under-missing-parent",
        {"foo": "bar"},
        [{"op": "add", "path": "/baz/bat", "value": "qux"}],
        "add operation does not apply: doc is missing path: /baz/bat",
    ),
    (
        "a15-string-is-not-number",
        {"/": 9, "~1": 10},
        [{"op": "test", "path": "/~01", "value": "10"}],
        "testing value /~01 failed",
    ),
    (
        "test-true-is-not-1",
        {"a": True},
        [{"op": "test", "path": "/a", "value": 1}],
        "testing value /a failed",
    ),
    (
        "test-replicas",
        {"spec": {"replicas": 3}},
        [{"op": "test", "path": "/spec/replicas", "value": 2}],
        "testing value /spec/replicas failed",
    ),
    (
        "test-missing",
        {},
        [{"op": "test", "path": "/a", "value": 1}],
        "test operation does not apply: doc is missing path: /a",
    ),
    (
        "remove-missing",
        {"a": 1},
        [{"op": "remove", "path": "/b"}],
        "remove operation does not apply: doc is missing path: /b",
    ),
    (
        "replace-missing",
        {"a": 1},
        [{"op": "replace", "path": "/b", "value": 1}],
        "replace operation does not apply",
    ),
    ("index-past-end", {"a": [1]}, [{"op": "add", "path": "/a/2", "value": 1}], "doc is missing path: /a/2"),
    (
        "leading-zero-index",
        {"a": [1, 2]},
        [{"op": "replace", "path": "/a/01", "value": 1}],
        "doc is missing path: /a/01",
    ),
    ("dash-in-remove", {"a": [1]}, [{"op": "remove", "path": "/a/-"}], "doc is missing path: /a/-"),
    ("word-index", {"a": [1]}, [{"op": "add", "path": "/a/x", "value": 1}], "doc is missing path: /a/x"),
    ("through-a-scalar", {"a": 1}, [{"op": "add", "path": "/a/b", "value": 1}], "doc is missing path: /a/b"),
    (
        "move-missing",
        {},
        [{"op": "move", "from": "/a", "path": "/b"}],
        "move operation does not apply: doc is missing path: /a",
    ),
    (
        "copy-missing",
        {},
        [{"op": "copy", "from": "/a", "path": "/b"}],
        "copy operation does not apply: doc is missing path: /a",
    ),
    (
        "move-into-child",
        {"a": {"b": 1}},
        [{"op": "move", "from": "/a", "path": "/a/b/c"}],
        "into its own child /a/b/c",
    ),
    ("remove-root", {"a": 1}, [{"op": "remove", "path": ""}], "the whole document cannot be removed"),
    (
        "all-or-nothing",
        {"a": 1},
        [{"op": "replace", "path": "/a", "value": 2}, {"op": "test", "path": "/a", "value": 1}],
        "testing value /a failed",
    ),
]


@pytest.mark.parametrize(
    ("doc", "ops", "message"), [c[1:] for c in DOES_NOT_APPLY], ids=[c[0] for c in DOES_NOT_APPLY]
)
def test_api12_operations_that_do_not_apply_are_422(
    doc: Any, ops: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(Invalid) as caught:
        run(doc, ops)
    assert message in caught.value.message
    assert caught.value.status.code == 422


MALFORMED: list[tuple[str, Any, str]] = [
    ("not-a-list", {"op": "add"}, "must be a list of operations"),
    ("element-not-object", ["add"], "must be an object"),
    ("missing-op", [{"path": "/a"}], 'has no "op"'),
    ("unknown-op", [{"op": "frobnicate", "path": "/spec"}], 'unknown op "frobnicate"'),
    ("missing-path", [{"op": "remove"}], 'has no "path"'),
    ("path-not-string", [{"op": "remove", "path": 3}], 'has no "path"'),
    ("missing-value", [{"op": "add", "path": "/a"}], 'has no "value"'),
    ("missing-from", [{"op": "move", "path": "/a"}], 'has no "from"'),
    ("pointer-without-slash", [{"op": "remove", "path": "a"}], 'must be empty or start with "/"'),
    ("bad-escape", [{"op": "remove", "path": "/a~2"}], 'a "~" not followed by'),
]


@pytest.mark.parametrize(("ops", "message"), [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_api12_malformed_patches_are_400(ops: Any, message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        run({"a": 1}, ops)
    assert message in caught.value.message
    assert caught.value.status.code == 400


def test_value_null_is_a_value() -> None:
    assert run({"a": 1}, [{"op": "replace", "path": "/a", "value": None}]) == {"a": None}


def test_copy_does_not_alias_the_source() -> None:
    result = run({"a": {"x": 1}}, [{"op": "copy", "from": "/a", "path": "/b"}])
    assert result["a"] is not result["b"]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", ()),
        ("/", ("",)),
        ("/a/b", ("a", "b")),
        ("/a~1b", ("a/b",)),
        ("/m~0n", ("m~n",)),
        ("/~01", ("~1",)),
    ],
    ids=["root", "empty-key", "two", "slash", "tilde", "escape-order"],
)
def test_pointer_round_trip(text: str, tokens: tuple[str, ...]) -> None:
    assert parse_pointer(text) == tokens
    assert format_pointer(tokens) == text


_KEYS = st.text("ab/~", min_size=0, max_size=3)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text("xy", max_size=2),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=12,
)


def _containers(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    if isinstance(node, dict | list):
        found.append((path, node))
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in children:
            found.extend(_containers(value, (*path, str(key))))
    return found


@given(doc=st.dictionaries(_KEYS, _JSON, max_size=4), value=_JSON, data=st.data())
def test_add_then_remove_at_the_same_path_restores_the_document(
    doc: dict[str, Any], value: Any, data: st.DataObject
) -> None:
    path, container = data.draw(st.sampled_from(_containers(doc)))
    if isinstance(container, dict):
        key = data.draw(_KEYS.filter(lambda k: k not in container))
    else:
        key = str(data.draw(st.integers(0, len(container))))
    pointer = format_pointer((*path, key))
    added = run(doc, [{"op": "add", "path": pointer, "value": value}])
    assert run(added, [{"op": "test", "path": pointer, "value": value}]) == added
    assert run(added, [{"op": "remove", "path": pointer}]) == doc
