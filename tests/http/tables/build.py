"""Helpers for table tests: typed objects from JSON-shaped dicts, and a fixed instant."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

from kubelite.clock import rfc3339

T = TypeVar("T")

CREATED = 1_767_225_600.0
"""Every test object's creationTimestamp (2026-01-01T00:00:00Z)."""


def ago(seconds: float, now: float) -> str:
    """The RFC 3339 timestamp `seconds` before `now`."""
    return rfc3339(now - seconds)


def make(cls: type[T], data: dict[str, Any], name: str = "x") -> T:
    """A `cls` from its JSON shape, named `name` and created at `CREATED` unless given."""
    metadata = {"name": name, "creationTimestamp": rfc3339(CREATED), **data.get("metadata", {})}
    return msgspec.convert({**data, "metadata": metadata}, cls)
