"""`BatchingStore`: the backend-independent `Storage` — memory state, pending overlay, group commit.

State: the committed objects (`ObjectTable`), the committed revision, the last revision drawn, the
batch accepting writes and the batch being committed (at most one). `latest()` reads the accepting
batch, then the committing one, then the committed objects; `get`/`list`/`watch` read committed
state only. Writes follow the two phases of `kubelite.store.interface`: the accept step is
synchronous (no await before the write has joined the accepting batch).

One committer task, owned by the store's task group, loops: take the accepting batch (a fresh one
starts accepting), `_persist` it (shielded from cancellation, so a transaction is never cut in
half), apply it to the committed objects, append its events to the watch `History`, wake its
writers. A backend subclass supplies `_load` (rows and revision at open), `_persist` (make one
batch durable, all or nothing; raise `TransientStorageError` for a fault that left the backend
usable and rolled back, anything else for a fatal one) and `_release` (close files).
Nothing is applied before `_persist` returns: an accepted write lives only in its batch (the
overlay `latest()` reads) and in the revision counter `_drawn`.

Cancellation: a writer cancelled while it waits does not take its write back (it was accepted and
commits anyway). The committer only ever waits unshielded when nothing is pending, so cancelling
the store's owner still commits every accepted write; writes are refused from then on.

Transient failure (`_persist` raised `TransientStorageError`): the writers of the committing batch
and of the accepting one (accepted against the failed batch's state) raise an error of the same
class, the overlay is dropped (latest = committed), and the loop goes on with the next writes.
Committed objects, `revision`, the history and watchers never saw the failed writes; their revisions
are not reused (`_drawn` keeps counting), so revisions only skip. Logged as `store_batch_failed`.

Fatal failure (`_persist` or the loop raised anything else): the store is *failed*. Uncommitted
writers raise `StorageFailedError`, and so does every later call, reads included (`get`, `latest`,
`list`, `watch`, open watches). The committer then cancels the store's task group, whose scope is
the owner's `async with` body, and `__aexit__` raises `StorageFailedError`: the owner stops loudly
(logged as `store_failed`). If the committer stops for any other reason (a `BaseException`), writes
it had not committed raise `StorageError`; nothing ever hangs.
Closing commits what was accepted, then ends watches and releases the backend; it is idempotent.
"""

from __future__ import annotations

import enum
from types import TracebackType
from typing import Self

import anyio
import structlog
from anyio.abc import TaskGroup

from kubelite.store.batch import Batch, StoreStats, renewed
from kubelite.store.history import History, HistoryWatch
from kubelite.store.interface import (
    Event,
    EventType,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Record,
    Render,
    RevisionMismatchError,
    StorageError,
    StorageFailedError,
    TransientStorageError,
)
from kubelite.store.latch import Latch
from kubelite.store.objects import ObjectTable

log = structlog.get_logger("kubelite.store")

_ADDED, _MODIFIED, _DELETED = EventType.ADDED, EventType.MODIFIED, EventType.DELETED


class _Phase(enum.Enum):
    NEW = "new"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class BatchingStore:
    """Base of the backends; use a subclass as `async with Backend(...) as store:`."""

    def __init__(self, history: int = 50_000) -> None:
        self.stats = StoreStats()
        self._history_limit = history
        self._history = History(history, 0)
        self._objects = ObjectTable()
        self._revision = 0
        self._drawn = 0
        self._batch = Batch()
        self._committing: Batch | None = None
        self._phase = _Phase.NEW
        self._accepting = False
        self._failure: StorageError | None = None
        """Why writes are refused for good (a fatal failure, or a stop with writes pending)."""
        self._fatal: StorageFailedError | None = None
        """Set by a fatal failure: every call raises it and the owner is stopped."""
        self._kick: anyio.Event | None = None
        self._stopped = Latch()
        self._closed = Latch()
        self._task_group: TaskGroup | None = None

    # -- backend hooks -------------------------------------------------------------------------

    async def _load(self) -> tuple[list[Record], int]:
        """Open the backend; return every stored record and the saved revision."""
        raise NotImplementedError

    async def _persist(self, batch: Batch) -> None:
        """Make `batch.final` and `batch.last_revision` durable in one transaction, or raise."""
        raise NotImplementedError

    async def _release(self) -> None:
        """Close the backend's files."""
        raise NotImplementedError

    # -- reads ---------------------------------------------------------------------------------

    @property
    def revision(self) -> int:
        return self._revision

    @property
    def compacted_revision(self) -> int:
        return self._history.compacted_revision

    def get(self, key: Key) -> Record | None:
        if self._fatal is not None:
            raise self._refusal()
        return self._objects.get(key)

    def latest(self, key: Key) -> Record | None:
        if self._fatal is not None:
            raise self._refusal()
        final = self._batch.final
        if key in final:
            return final[key]
        committing = self._committing
        if committing is not None and key in committing.final:
            return committing.final[key]
        return self._objects.get(key)

    def list(self, resource: str, namespace: str | None = None) -> tuple[list[Record], int]:
        if self._fatal is not None:
            raise self._refusal()
        return self._objects.list(resource, namespace), self._revision

    async def settled(self, key: Key) -> None:
        """Return once no accepted write to `key` is still waiting to commit (or to fail)."""
        while True:
            if key in self._batch.final:
                await self._batch.wait()
                continue
            committing = self._committing
            if committing is not None and key in committing.final:
                await committing.wait()
                continue
            return

    def watch(self, resource: str, namespace: str | None, after: int) -> HistoryWatch:
        if self._phase is _Phase.NEW:
            raise self._refusal()
        return self._history.watch(resource, namespace, after)

    # -- writes --------------------------------------------------------------------------------

    async def create(self, key: Key, render: Render) -> Record:
        if not self._accepting:
            raise self._refusal()
        if self.latest(key) is not None:
            raise KeyExistsError(f"{key} already exists")
        batch = self._batch
        record = self._accept(_ADDED, key, render)
        await batch.wait()
        batch.raise_failure()
        return record

    async def update(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        self._check_current(key, expect_revision)
        batch = self._batch
        record = self._accept(_MODIFIED, key, render)
        await batch.wait()
        batch.raise_failure()
        return record

    async def delete(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        self._check_current(key, expect_revision)
        batch = self._batch
        record = self._accept(_DELETED, key, render)
        await batch.wait()
        batch.raise_failure()
        return record

    def _check_current(self, key: Key, expect_revision: int | None) -> None:
        if not self._accepting:
            raise self._refusal()
        current = self.latest(key)
        if current is None:
            raise KeyNotFoundError(f"{key} not found")
        if expect_revision is not None and current.revision != expect_revision:
            raise RevisionMismatchError(key, expect_revision, current.revision)

    def _accept(self, kind: EventType, key: Key, render: Render) -> Record:
        """Draw the revision, render, join the accepting batch and wake the committer."""
        before = self.latest(key)
        revision = self._drawn + 1
        value = render(revision)
        self._drawn = revision
        record = Record(key, value, revision)
        batch = self._batch
        batch.final[key] = None if kind is _DELETED else record
        batch.events.append(Event(kind, key, value, revision, None if before is None else before.value))
        kick = self._kick
        if kick is not None:
            self._kick = None
            kick.set()
        return record

    def _refusal(self) -> StorageError:
        failure = self._failure
        if failure is not None:
            return renewed(failure)
        if self._phase is _Phase.NEW:
            return StorageError("the store is not open")
        if self._phase is _Phase.OPEN:
            return StorageError("the store's committer has stopped")
        return StorageError("the store is closed")

    # -- lifecycle -----------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        if self._phase is not _Phase.NEW:
            raise StorageError("a store can be opened only once")
        records, revision = await self._load()
        try:
            self._objects = ObjectTable(records)
        except BaseException:
            await self._release()
            raise
        self._revision = self._drawn = revision
        self._history = History(self._history_limit, revision)
        task_group = anyio.create_task_group()
        await task_group.__aenter__()
        self._task_group = task_group
        task_group.start_soon(self._run_committer, name=f"{type(self).__name__} committer")
        self._phase = _Phase.OPEN
        self._accepting = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        """Close, then leave the task group. The owner's own error propagates unchanged (not
        wrapped in an exception group); cancellations go through the task group as usual. After a
        fatal failure, `StorageFailedError` is raised instead (the owner's error as its context)."""
        task_group, self._task_group = self._task_group, None
        try:
            with anyio.CancelScope(shield=True):
                await self.close()
        except BaseException as error:
            if task_group is not None:
                await task_group.__aexit__(type(error), error, error.__traceback__)
            raise
        suppress = await _leave(task_group, exc_type, exc, tb)
        if self._fatal is not None:
            failure = renewed(self._fatal)
            if not isinstance(exc, anyio.get_cancelled_exc_class()):
                failure.__context__ = exc
            raise failure
        return suppress

    async def close(self) -> None:
        """Commit what was accepted, end watches, release the backend. Safe to call twice."""
        if self._phase is _Phase.NEW:
            self._phase = _Phase.CLOSED
            self._history.close()
            return
        if self._phase is not _Phase.OPEN:
            await self._closed.wait()
            return
        self._phase = _Phase.CLOSING
        self._accepting = False
        self._wake_committer()
        try:
            await self._stopped.wait()
        finally:
            self._history.close()
            try:
                with anyio.CancelScope(shield=True):
                    await self._release()
            finally:
                self._phase = _Phase.CLOSED
                self._closed.set()

    def _wake_committer(self) -> None:
        kick, self._kick = self._kick, None
        if kick is not None:
            kick.set()

    # -- committer -----------------------------------------------------------------------------

    async def _run_committer(self) -> None:
        try:
            await self._commit_loop()
        except Exception as exc:
            self._fail_fatally(exc)
        finally:
            self._accepting = False
            if self._committing is not None or self._batch.events:
                self._fail(StorageError("the store stopped before committing the write"))
            self._stopped.set()

    async def _commit_loop(self) -> None:
        while True:
            batch = self._batch
            if not batch.events:
                if self._phase is not _Phase.OPEN:
                    return
                self._kick = kick = anyio.Event()
                await kick.wait()
                continue
            self._batch = Batch()
            self._committing = batch
            with anyio.CancelScope(shield=True):
                try:
                    await self._persist(batch)
                except TransientStorageError as error:
                    self._abandon(batch, error)
                    continue
            self._apply(batch)

    def _apply(self, batch: Batch) -> None:
        objects = self._objects
        for key, record in batch.final.items():
            if record is None:
                objects.remove(key)
            else:
                objects.put(record)
        self._revision = batch.last_revision
        self._committing = None
        self._history.append(batch.events)
        self.stats.count(batch)
        batch.settle()

    def _abandon(self, batch: Batch, error: TransientStorageError) -> None:
        """A transient fault: fail the committing batch and the one accepted on top of it."""
        later = self._batch
        log.warning(
            "store_batch_failed",
            store=type(self).__name__,
            error=str(error),
            writes=len(batch),
            later_writes=len(later),
        )
        self.stats.failed_batches += 1
        self._committing, self._batch = None, Batch()
        batch.settle(renewed(error, f"the write was not committed: {error}"))
        if later.events:
            why = f"the write was accepted while a batch that failed was committing: {error}"
            later.settle(renewed(error, f"the write was not committed: {why}"))

    def _fail_fatally(self, exc: Exception) -> None:
        """Fail the store for good and stop its owner (see the module docstring)."""
        log.error("store_failed", store=type(self).__name__, error=str(exc), exc_info=exc)
        detail = str(exc) if isinstance(exc, StorageError) else repr(exc)
        failure = StorageFailedError(f"the store failed: {detail}")
        failure.__cause__ = exc
        self._fatal = failure
        self._fail(failure)
        if self._task_group is not None:
            self._task_group.cancel_scope.cancel()

    def _fail(self, failure: StorageError) -> None:
        """Refuse writes from now on, fail every uncommitted write, make watches raise."""
        if self._failure is None:
            self._failure = failure
        self._accepting = False
        committing, self._committing = self._committing, None
        accepting, self._batch = self._batch, Batch()
        error = renewed(failure, f"the write was not committed: {failure}")
        for batch in (committing, accepting):
            if batch is not None:
                batch.settle(error)
        self._history.fail(self._failure)


async def _leave(
    task_group: TaskGroup | None,
    exc_type: type[BaseException] | None,
    exc: BaseException | None,
    tb: TracebackType | None,
) -> bool | None:
    """Exit the store's task group without wrapping the owner's own error in a group."""
    if task_group is None:
        return None
    if exc is not None and not isinstance(exc, anyio.get_cancelled_exc_class()):
        await task_group.__aexit__(None, None, None)
        return None
    return await task_group.__aexit__(exc_type, exc, tb)
