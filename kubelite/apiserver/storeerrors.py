"""Store failures as API errors: the one place the apiserver turns a `StorageError` into an `APIError`.

`GuardedStorage` wraps the storage every handler uses (`ServerCore.storage`). Each call behaves as
the wrapped storage's, except that a failure of the store itself leaves as the `APIError`
Kubernetes' apiserver sends for a failing etcd:

- `StorageBusyError` (the database stayed locked past the busy timeout) → 504 `Timeout`,
  message `Timeout: <what failed>`, `details.retryAfterSeconds` 1 (client-go waits that long before
  retrying);
- any other `StorageError` (a transient fault, a failed store, a closed one) → 500 `InternalError`,
  message `Internal error occurred: <what failed>`, one cause carrying `<what failed>`.

Outcomes that handlers translate themselves pass through unchanged: `KeyExistsError`,
`KeyNotFoundError`, `RevisionMismatchError`, `RevisionCompactedError`. Reads map the same way
(after a fatal failure every read is a 500), and so do open watches while iterated. A failed write
changed nothing (see `kubelite.store.interface`), so the request failed as a whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType

from kubelite.api.errors import APIError, InternalError, Timeout
from kubelite.api.meta import StatusCause, StatusDetails
from kubelite.store.interface import (
    Event,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Record,
    Render,
    RevisionCompactedError,
    RevisionMismatchError,
    Storage,
    StorageBusyError,
    StorageError,
    Watch,
)

RETRY_AFTER_SECONDS = 1
"""Sent with a 504 for a busy database: the lock is usually gone by then."""

_REQUEST_OUTCOMES = (KeyExistsError, KeyNotFoundError, RevisionMismatchError, RevisionCompactedError)


def api_error(error: StorageError) -> APIError:
    """The `APIError` a failure of the store reaches callers as."""
    if isinstance(error, StorageBusyError):
        return Timeout(f"Timeout: {error}", details=StatusDetails(retry_after_seconds=RETRY_AFTER_SECONDS))
    details = StatusDetails(causes=[StatusCause(message=str(error))])
    return InternalError(f"Internal error occurred: {error}", details=details)


class _Translated:
    """`with _TRANSLATED:` re-raises a failure of the store as its `APIError`."""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, StorageError) and not isinstance(exc, _REQUEST_OUTCOMES):
            raise api_error(exc) from exc


_TRANSLATED = _Translated()


class GuardedStorage:
    """A `Storage` whose own failures are `APIError`s (see the module docstring)."""

    __slots__ = ("_storage",)

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @property
    def revision(self) -> int:
        return self._storage.revision

    @property
    def compacted_revision(self) -> int:
        return self._storage.compacted_revision

    def get(self, key: Key) -> Record | None:
        with _TRANSLATED:
            return self._storage.get(key)

    def latest(self, key: Key) -> Record | None:
        with _TRANSLATED:
            return self._storage.latest(key)

    async def settled(self, key: Key) -> None:
        with _TRANSLATED:
            await self._storage.settled(key)

    def list(self, resource: str, namespace: str | None = None) -> tuple[list[Record], int]:
        with _TRANSLATED:
            return self._storage.list(resource, namespace)

    async def create(self, key: Key, render: Render) -> Record:
        with _TRANSLATED:
            return await self._storage.create(key, render)

    async def update(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        with _TRANSLATED:
            return await self._storage.update(key, render, expect_revision)

    async def delete(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        with _TRANSLATED:
            return await self._storage.delete(key, render, expect_revision)

    def watch(self, resource: str, namespace: str | None, after: int) -> Watch:
        with _TRANSLATED:
            return GuardedWatch(self._storage.watch(resource, namespace, after))

    async def close(self) -> None:
        await self._storage.close()


class GuardedWatch:
    """An open store watch whose failures (other than compaction) are `APIError`s."""

    __slots__ = ("_watch",)

    def __init__(self, watch: Watch) -> None:
        self._watch = watch

    def __aiter__(self) -> AsyncIterator[Event]:
        return self

    async def __anext__(self) -> Event:
        with _TRANSLATED:
            return await self._watch.__anext__()

    def close(self) -> None:
        self._watch.close()
