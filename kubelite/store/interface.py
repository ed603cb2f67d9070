"""The storage contract: current objects, one global revision, durable group-committed writes, watch.

Keys are `(resource, namespace, name)`; cluster-scoped objects use namespace `""`. Values are opaque
bytes (the apiserver stores encoded JSON). Every accepted write gets the next revision of one global,
strictly increasing counter (starting at 1 in an empty store); revisions may skip numbers (a write
that fails its precondition after a revision was drawn never happens), never repeat or go back.

Writes (`create`, `update`, `delete`) are coroutines with two phases:

1. **Accept**, synchronously when the coroutine first runs (before any await inside it): the
   precondition is checked against the *latest* state (committed plus accepted-but-uncommitted
   writes), the revision is drawn, `render(revision)` builds the bytes, and the write joins the
   pending batch. A failed precondition raises here and nothing changes.
2. **Commit**: the coroutine returns only after the batch holding the write is durable. All writes
   accepted while one batch commits go into the next batch, which commits in one transaction (group
   commit). If a commit fails, every write in that batch and every write accepted while it was
   committing raises (`TransientStorageError` if the fault can heal, else `StorageFailedError`),
   and the latest state falls back to the committed state. Nothing of a failed write is applied.

Readers see two views. `get`/`list`/`watch` see committed state only: nothing a crash could take
back. `latest` sees accepted writes too; the apiserver uses it for read-modify-write so that two
writers racing in one commit window still conflict correctly.

Watch: `watch(resource, namespace, after)` yields every committed event with revision > `after` for
that resource (and namespace, unless None), in revision order, from a bounded in-memory history
window shared by all watchers (size `history`). A watch whose `after` is older than the window
raises `RevisionCompactedError` at once; a watcher that falls so far behind that its next event
left the window raises it from iteration. `after` may be in the future: the watch then waits.

Failures are classified. A *transient* fault (the database locked by another process past the busy
timeout, a full disk, an I/O error the transaction survived) fails the writes of one batch with
`TransientStorageError` (`StorageBusyError` for a lock): no revision, event or state of them
remains, their revisions are never reused, and the next batch is tried afresh, so writes succeed
again once the cause is gone. A *fatal* one (the file removed or replaced, corruption, an error the
backend cannot classify) fails the store: every later call, reads included, raises
`StorageFailedError`, watches raise it, and the store cancels its owner's `async with` body and
raises it from `__aexit__`, so whoever runs the store stops loudly.

Returned `Record`s and `Event`s are immutable; their `value` bytes are shared, never mutated.
After `close()`, writes raise `StorageError` and open watches end.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Protocol

import msgspec

Key = tuple[str, str, str]
"""(resource, namespace, name); namespace is "" for cluster-scoped objects."""

Render = Callable[[int], bytes]
"""Builds the value to store from the revision the write was given."""


class Record(msgspec.Struct, frozen=True, gc=False):
    """One stored object: its key, its bytes and the revision of the write that produced them.

    `gc=False`: a record holds only strings, bytes and an int, so it can never be part of a cycle;
    keeping 100k of them out of the cycle collector keeps full collections short."""

    key: Key
    value: bytes
    revision: int


class EventType(enum.StrEnum):
    ADDED = "ADDED"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"


@dataclass(frozen=True, slots=True)
class Event:
    """A committed change. For DELETED, `value` is the final bytes rendered by the delete.

    `previous` is the key's value just before this write (None for ADDED), so that a filtered
    watch can tell an object that stops matching from one it never reported."""

    type: EventType
    key: Key
    value: bytes
    revision: int
    previous: bytes | None = None


class StorageError(Exception):
    """The store could not do what was asked: see the subclasses; a plain one means it is closed
    (or not yet open)."""


class TransientStorageError(StorageError):
    """The write was not made durable because of a fault that can heal (a full disk, an I/O error
    the transaction survived): nothing of it was applied, the store keeps serving, a retry may
    succeed. Writes accepted while the failed batch was committing fail with it too, since their
    preconditions were checked against its state."""


class StorageBusyError(TransientStorageError):
    """The database stayed locked by another connection for longer than the busy timeout."""


class StorageFailedError(StorageError):
    """The store failed for good (its file was removed or replaced, it is corrupt, or its
    connection broke): every call raises this from then on, and the store's owner is stopped."""


class KeyExistsError(StorageError):
    """`create` of a key that exists in the latest state."""


class KeyNotFoundError(StorageError):
    """`update` or `delete` of a key absent from the latest state."""


class RevisionMismatchError(StorageError):
    """`expect_revision` differs from the key's latest revision."""

    def __init__(self, key: Key, expected: int, actual: int) -> None:
        super().__init__(f"{key}: expected revision {expected}, found {actual}")
        self.expected = expected
        self.actual = actual


class RevisionCompactedError(StorageError):
    """The requested revision is older than the watch history window."""

    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"revision {requested} is older than the oldest retained revision {oldest}")
        self.requested = requested
        self.oldest = oldest


class Watch(Protocol):
    """An open watch: iterate for events; `close()` ends it (iteration then stops)."""

    def __aiter__(self) -> AsyncIterator[Event]: ...

    async def __anext__(self) -> Event: ...

    def close(self) -> None: ...


class Storage(Protocol):
    """What the apiserver needs from a backend (memory or SQLite)."""

    @property
    def revision(self) -> int:
        """The revision of the newest committed write (0 for an empty, new store)."""
        ...

    @property
    def compacted_revision(self) -> int:
        """Watches from a revision below this raise `RevisionCompactedError`."""
        ...

    def get(self, key: Key) -> Record | None:
        """The committed record for `key`, or None."""
        ...

    def latest(self, key: Key) -> Record | None:
        """The record for `key` including accepted but not yet committed writes, or None."""
        ...

    async def settled(self, key: Key) -> None:
        """Return once no accepted write to `key` waits to commit: a read after it sees every
        write that a conflict could have been reported against."""
        ...

    def list(self, resource: str, namespace: str | None = None) -> tuple[list[Record], int]:
        """Committed records of `resource` (in `namespace` unless None), sorted by (namespace,
        name), and the revision this snapshot is consistent with."""
        ...

    async def create(self, key: Key, render: Render) -> Record:
        """Store a new key. Raises `KeyExistsError`."""
        ...

    async def update(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        """Replace a key's value. Raises `KeyNotFoundError`, `RevisionMismatchError`."""
        ...

    async def delete(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        """Remove a key; `render` builds the final value carried by the DELETED event, which is
        also returned. Raises `KeyNotFoundError`, `RevisionMismatchError`."""
        ...

    def watch(self, resource: str, namespace: str | None, after: int) -> Watch:
        """Events for `resource` with revision > `after`. Raises `RevisionCompactedError`."""
        ...

    async def close(self) -> None:
        """Finish pending commits, end watches, release files."""
        ...
