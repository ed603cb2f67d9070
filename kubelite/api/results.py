"""Typed results shared by the apiserver and clients: lists and watch events.

`ObjectList[T]` is what a list returns (items in key order plus the revision to watch from).
`WatchEvent[T]` is one watch notification: ADDED, MODIFIED, DELETED carry an object; ERROR carries a
`Status` (e.g. 410 Expired); BOOKMARK carries an object whose only meaningful field is
`metadata.resourceVersion`. Both are plain values owned by the receiver.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kubelite.api.meta import Object, Status

T = TypeVar("T", bound=Object)


@dataclass(slots=True)
class ObjectList(Generic[T]):
    """A list response: `items` sorted by (namespace, name); `resource_version` to watch from."""

    items: list[T] = field(default_factory=list)
    resource_version: str = ""


@dataclass(frozen=True, slots=True)
class WatchEvent(Generic[T]):
    """One watch notification. `object` is None only for ERROR events, which carry `status`."""

    type: str
    object: T | None = None
    status: Status | None = None
