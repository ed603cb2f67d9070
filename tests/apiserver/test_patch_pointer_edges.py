"""JSON patch edges (RFC 6901/6902, API-12): only `add` may name the index one past the end of an
array (as a number or as `-`), for every other operation it is missing (422); malformed patches
name the operation's index and the JSON type found (400); move and copy failures name their
operation; replace and remove inside an array keep the other items; a copy is deep."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.errors import BadRequest, Invalid
from tests.apiserver.test_patch_jsonpatch import run


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        (
            [{"op": "replace", "path": "/a/2", "value": 9}],
            "replace operation does not apply: doc is missing path: /a/2",
        ),
        (
            [{"op": "test", "path": "/a/2", "value": 1}],
            "test operation does not apply: doc is missing path: /a/2",
        ),
        ([{"op": "remove", "path": "/a/2"}], "remove operation does not apply: doc is missing path: /a/2"),
        (
            [{"op": "add", "path": "/a/3", "value": 1}],
            "add operation does not apply: doc is missing path: /a/3",
        ),
        (
            [{"op": "replace", "path": "/a/2/0", "value": 1}],
            "replace operation does not apply: doc is missing path: /a/2/0",
        ),
        (
            [{"op": "copy", "from": "/a/2", "path": "/b"}],
            "copy operation does not apply: doc is missing path: /a/2",
        ),
    ],
    ids=["replace", "test", "remove", "add-two-past", "through-the-end", "copy-from"],
)
def test_api12_the_index_past_the_end_is_missing(ops: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(Invalid) as caught:
        run({"a": [[1], [2]]}, ops)
    assert caught.value.message.endswith(message)
    assert caught.value.status.code == 422


def test_api12_add_appends_at_the_index_past_the_end() -> None:
    assert run({"a": [1, 2]}, [{"op": "add", "path": "/a/2", "value": 3}]) == {"a": [1, 2, 3]}
    assert run({"a": [1, 2]}, [{"op": "add", "path": "/a/-", "value": 3}]) == {"a": [1, 2, 3]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"op": "add"}, "a JSON patch must be a list of operations, got an object"),
        ("x", "a JSON patch must be a list of operations, got a string"),
        (5, "a JSON patch must be a list of operations, got a scalar"),
        (
            [{"op": "test", "path": "/a", "value": 1}, ["x"]],
            "JSON patch operation 1 must be an object, got an array",
        ),
        (
            [{"op": "test", "path": "/a", "value": 1}, "x"],
            "JSON patch operation 1 must be an object, got a string",
        ),
        (
            [{"op": "test", "path": "/a", "value": 1}, 7],
            "JSON patch operation 1 must be an object, got a scalar",
        ),
        (
            [{"op": "test", "path": "/a", "value": 1}, {"op": "add", "value": 1}],
            'JSON patch operation 1 (add) has no "path"',
        ),
        (
            [{"op": "test", "path": "/a", "value": 1}, {"op": "move", "path": "/b"}],
            'JSON patch operation 1 (move) has no "from"',
        ),
    ],
    ids=["object", "string", "scalar", "op-array", "op-string", "op-scalar", "no-path", "no-from"],
)
def test_api12_malformed_patches_name_the_operation_and_the_json_type(body: Any, message: str) -> None:
    with pytest.raises(BadRequest) as caught:
        run({"a": 1}, body)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        (
            [{"op": "move", "from": "/a", "path": "/x/y"}],
            "move operation does not apply: doc is missing path: /x/y",
        ),
        (
            [{"op": "copy", "from": "/a", "path": "/x/y"}],
            "copy operation does not apply: doc is missing path: /x/y",
        ),
        (
            [{"op": "move", "from": "/b", "path": "/c"}],
            "move operation does not apply: doc is missing path: /b",
        ),
    ],
    ids=["move-to", "copy-to", "move-from"],
)
def test_api12_move_and_copy_failures_name_their_operation(ops: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(Invalid) as caught:
        run({"a": 1}, ops)
    assert caught.value.message.endswith(message)


def test_api12_replace_and_remove_inside_an_array_keep_the_other_items() -> None:
    assert run({"a": [1, 2, 3]}, [{"op": "replace", "path": "/a/1", "value": 9}]) == {"a": [1, 9, 3]}
    assert run({"a": [1, 2, 3]}, [{"op": "remove", "path": "/a/1"}]) == {"a": [1, 3]}


def test_api12_a_copy_is_deep() -> None:
    ops = [{"op": "copy", "from": "/a", "path": "/x"}, {"op": "replace", "path": "/x/b/c", "value": 2}]
    assert run({"a": {"b": {"c": 1}}}, ops) == {"a": {"b": {"c": 1}}, "x": {"b": {"c": 2}}}
