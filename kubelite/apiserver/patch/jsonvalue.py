"""Equality and identity of JSON-shaped builtins, as JSON (not Python) defines them.

Python says `True == 1` and `{"a": 1} == {"a": 1.0}`; JSON says a boolean is never a number, while
`1` and `1.0` are the same number. `json_equal` compares by JSON rules (objects unordered, arrays
ordered). `scalar_key` turns a JSON scalar into a hashable key with the same equality, for set
membership and merge-key matching; it returns None for objects and arrays, which have no key.
Both are pure and never mutate their arguments.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any


def json_equal(left: Any, right: Any) -> bool:
    """Whether two JSON values are equal under JSON's rules."""
    if isinstance(left, Mapping):
        return isinstance(right, Mapping) and _maps_equal(left, right)
    if isinstance(left, list):
        return isinstance(right, list) and _lists_equal(left, right)
    if isinstance(right, Mapping | list):
        return False
    return scalar_key(left) == scalar_key(right)


def _maps_equal(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    if left.keys() != right.keys():
        return False
    return all(json_equal(value, right[key]) for key, value in left.items())


def _lists_equal(left: list[Any], right: list[Any]) -> bool:
    if len(left) != len(right):
        return False
    return all(json_equal(a, b) for a, b in zip(left, right, strict=True))


def scalar_key(value: Any) -> Hashable | None:
    """A hashable stand-in for a JSON scalar (booleans kept apart from numbers); None otherwise."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if value is None:
        return ("null",)
    return None
