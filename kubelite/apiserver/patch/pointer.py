"""JSON Pointer (RFC 6901) parsing and copy-on-write edits of JSON-shaped builtins.

`parse_pointer("/a/b~1c")` gives the reference tokens `("a", "b/c")`: `~1` stands for `/` and `~0`
for `~`. A malformed pointer (not empty and not starting with `/`, or a `~` not followed by `0` or
`1`) raises BadRequest. `""` is the whole document.

`lookup` reads the value a pointer names; `rewrite` returns a copy of the document in which the
container holding the pointer's last token has been replaced by what an edit function returns.
Only the containers on the path are copied (shallowly); the rest is shared with the input, which
is never mutated. A path that does not exist raises Invalid (422), as Kubernetes answers for a
JSON patch that does not apply; `what` names the failing operation in the message.

Array tokens are decimal indexes without leading zeros; `-` (one past the end) is understood only
by `array_index(..., allow_end=True)`, which `add` uses to append.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from kubelite.api.errors import BadRequest, Invalid

Tokens = tuple[str, ...]
Edit = Callable[[Any, str], Any]

_INDEX = re.compile(r"0|[1-9][0-9]*")
_BAD_ESCAPE = re.compile(r"~(?![01])")


class _Missing(Exception):
    """Raised when a path or an edit's target is absent; `rewrite` turns it into Invalid."""


def absent() -> Exception:
    """The exception an edit function raises when the member or index it needs is absent."""
    return _Missing()


_ABSENT: Any = object()
"""The result of looking up a member or index that is not there."""


def parse_pointer(text: str) -> Tokens:
    """The unescaped reference tokens of a JSON pointer."""
    if text == "":
        return ()
    if not text.startswith("/"):
        raise BadRequest(f'JSON pointer "{text}" must be empty or start with "/"')
    if _BAD_ESCAPE.search(text):
        raise BadRequest(f'JSON pointer "{text}" has a "~" not followed by "0" or "1"')
    return tuple(part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/"))


def format_pointer(tokens: Tokens) -> str:
    """The pointer text for `tokens` (the inverse of `parse_pointer`)."""
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)


def missing(what: str, tokens: Tokens) -> Invalid:
    return Invalid(f"{what} operation does not apply: doc is missing path: {format_pointer(tokens)}")


def array_index(token: str, size: int, *, allow_end: bool) -> int | None:
    """The index `token` names in an array of `size` items, or None when it names none."""
    if allow_end and token == "-":
        return size
    if not _INDEX.fullmatch(token):
        return None
    index = int(token)
    limit = size if allow_end else size - 1
    return index if index <= limit else None


def lookup(doc: Any, tokens: Tokens, what: str) -> Any:
    """The value at `tokens` in `doc`; Invalid when there is none."""
    node = doc
    for token in tokens:
        node = _child(node, token)
        if node is _ABSENT:
            raise missing(what, tokens)
    return node


def rewrite(doc: Any, tokens: Tokens, edit: Edit, what: str) -> Any:
    """A copy of `doc` where the parent of `tokens` is replaced by `edit(parent, last_token)`.

    `tokens` must not be empty. The edit function raises `absent()` when the member or index it
    needs is not there; that, like a missing container on the way, becomes Invalid.
    """
    try:
        return _rewrite(doc, tokens, 0, edit)
    except _Missing:
        raise missing(what, tokens) from None


def _rewrite(node: Any, tokens: Tokens, depth: int, edit: Edit) -> Any:
    token = tokens[depth]
    if not isinstance(node, dict | list):
        raise _Missing
    if depth == len(tokens) - 1:
        return edit(node, token)
    child = _child(node, token)
    if child is _ABSENT:
        raise _Missing
    return _replace_child(node, token, _rewrite(child, tokens, depth + 1, edit))


def _child(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        return node.get(token, _ABSENT)
    if isinstance(node, list):
        index = array_index(token, len(node), allow_end=False)
        return _ABSENT if index is None else node[index]
    return _ABSENT


def _replace_child(node: Any, token: str, value: Any) -> Any:
    if isinstance(node, dict):
        copied = dict(node)
        copied[token] = value
        return copied
    index = array_index(token, len(node), allow_end=False)
    assert index is not None  # _child found this index a moment ago
    items = list(node)
    items[index] = value
    return items
