"""The eviction subresource when the store fails or another writer keeps winning (NODE-15): a
fault half-way through, a budget whose status write always conflicts (409 after upstream's 20
attempts), an unready pod that changes under the eviction (429)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kubelite.api.errors import Conflict, InternalError, TooManyRequests
from kubelite.apiserver import APIServer
from kubelite.clock import FakeClock
from kubelite.store.interface import Key, Record, Render, RevisionMismatchError
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlerrors import sqlite_error
from kubelite.store.sqlite import SQLiteStorage
from tests.store.faults import Faults

from .budgets import budget, eviction, running_pod, stored_budget, stored_pod
from .test_eviction_budgets import assert_untouched, too_many

pytestmark = pytest.mark.anyio


async def test_node15_store_faults_half_way(tmp_path: Path) -> None:
    """NODE-15 with a failing store: a fault on the budget's write is a 500 and changes nothing; a
    fault on the pod's write after the spend is a 500 that leaves the budget spent (the
    disruptedPods entry expires as for any failed delete), the pod untouched."""
    faults = Faults()
    async with SQLiteStorage(tmp_path / "db", before_commit=faults) as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        await running_pod(server, "a")
        pdb = await budget(server, allowed=2)
        faults.queue.append(sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full"))
        with pytest.raises(InternalError):
            await server.evict("a", eviction("a"), "default")
        await assert_untouched(server, "a", pdb)
        faults.queue.extend([None, sqlite_error(sqlite3.SQLITE_FULL, "database or disk is full")])
        with pytest.raises(InternalError):
            await server.evict("a", eviction("a"), "default")
        spent = await stored_budget(server)
        assert (spent.status.disruptions_allowed, list(spent.status.disrupted_pods)) == (1, ["a"])
        pod = await stored_pod(server, "a")
        assert pod.metadata.deletion_timestamp is None and [c.type for c in pod.status.conditions] == [
            "Ready"
        ]
        assert (await server.evict("a", eviction("a"), "default")).code == 201


class Contended(MemoryStorage):
    """A store on which, once `contended` names a resource, another writer always wins the race
    for its objects: every conditional update is refused as stale (what a real contender causes)."""

    def __init__(self) -> None:
        super().__init__(history=1000)
        self.refused = 0
        self.contended = ""

    async def update(self, key: Key, render: Render, expect_revision: int | None = None) -> Record:
        if key[0] == self.contended and expect_revision is not None:
            self.refused += 1
            raise RevisionMismatchError(key, expect_revision, expect_revision + 1)
        return await super().update(key, render, expect_revision)


async def test_node15_a_budget_always_contended_is_409_after_20_attempts() -> None:
    """NODE-15: the spend is retried on conflict a bounded number of times (upstream's 20), then
    the last 409 is returned; the pod is untouched."""
    async with Contended() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        await running_pod(server, "a")
        pdb = await budget(server, allowed=1)
        storage.contended = "poddisruptionbudgets.policy"
        with pytest.raises(Conflict) as refused:
            await server.evict("a", eviction("a"), "default")
        assert storage.refused == 20
        assert refused.value.message == (
            'Operation cannot be fulfilled on poddisruptionbudgets.policy "web": the object has been modified; '
            "please apply your changes to the latest version and try again"
        )
        await assert_untouched(server, "a", pdb)


async def test_node15_an_unready_pod_that_changes_under_the_eviction_is_429() -> None:
    """NODE-15: an unready pod let go without spending budget is deleted only if it did not change
    since it was checked (it might have become Ready); a conflict there is a 429 "still being
    processed", so the client retries."""
    async with Contended() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        await running_pod(server, "a", ready=False)
        pdb = await budget(server, allowed=0, current=3, desired=2)
        storage.contended = "pods"
        with pytest.raises(TooManyRequests) as refused:
            await server.evict("a", eviction("a"), "default")
        assert refused.value.status == too_many(
            "The disruption budget web is still being processed by the server.", 10
        )
        assert (await stored_budget(server)).metadata.resource_version == pdb.metadata.resource_version
        assert (await stored_pod(server, "a")).metadata.deletion_timestamp is None
