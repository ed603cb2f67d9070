"""JSON pointers one past the end of an array (RFC 6901/6902, API-12): only `add` may name the
index just past the last item (as a number or as `-`); every other operation, and any pointer
that goes on through that index, finds nothing there and is a 422."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.errors import Invalid
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
