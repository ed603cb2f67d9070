"""JOB-13: the TTL-after-finished controller alone on a virtual clock: a finished Job is deleted at
finishTime + ttl and not a tick before, with propagationPolicy Foreground and a uid precondition;
ttl 0 on finish, unset never; a TTL changed before expiry is honoured; a restart mid-wait keeps the
expiry; a Job recreated under the same name is not deleted for its predecessor."""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job
from kubelite.clock import rfc3339
from tests.controllers.ttlafterfinished.harness import Bench, FailingClient, RecreatingClient, bench
from tests.controllers.ttlafterfinished.support import finish, job

pytestmark = pytest.mark.anyio


async def finished_job(b: Bench, ttl: int | None, *, failed: bool = False) -> tuple[Job, float]:
    """A Job finished at the current (whole) second; returns it and its finish time."""
    created = await b.client.create(job(ttl=ttl))
    at = float(int(b.clock.now()))
    return await finish(b.client, created, at, failed=failed), at


def deleting(b: Bench, name: str = "pi") -> bool:
    found = b.jobs.get(name, "default")
    return found is not None and found.metadata.deletion_timestamp is not None


@pytest.mark.parametrize("failed", [False, True], ids=["complete", "failed"])
async def test_job13_deleted_at_expiry_in_the_foreground_not_a_tick_before(failed: bool) -> None:
    """JOB-13: deletionTimestamp = finishTime + ttl exactly, Foreground (finalizer), uid kept."""
    async with bench() as b, b.controller():
        done, at = await finished_job(b, 30, failed=failed)
        b.clock.advance(at + 30 - 0.001 - b.clock.now())
        await b.settle()
        assert (await b.live()).metadata.deletion_timestamp is None
        await b.until(lambda: deleting(b))
        gone = await b.live()
        assert gone.metadata.deletion_timestamp == rfc3339(at + 30)
        assert gone.metadata.finalizers == ["foregroundDeletion"]
        assert gone.metadata.uid == done.metadata.uid


async def test_job13_ttl_zero_deletes_on_finish() -> None:
    """JOB-13: ttl 0 deletes the Job as soon as it has finished."""
    async with bench() as b, b.controller():
        _, at = await finished_job(b, 0)
        await b.until(lambda: deleting(b))
        assert (await b.live()).metadata.deletion_timestamp == rfc3339(at)


async def test_job13_unset_ttl_never_deletes() -> None:
    """JOB-13: without ttlSecondsAfterFinished a finished Job stays, however long."""
    async with bench() as b, b.controller():
        await finished_job(b, None)
        b.clock.advance(365 * 86400)
        await b.settle()
        assert (await b.live()).metadata.deletion_timestamp is None


async def test_job13_unfinished_job_is_not_deleted() -> None:
    """JOB-13: a TTL counts from the finish only; a running Job is left alone."""
    async with bench() as b, b.controller():
        await b.client.create(job(ttl=0))
        b.clock.advance(3600)
        await b.settle()
        assert (await b.live()).metadata.deletion_timestamp is None


@pytest.mark.parametrize(("first", "second"), [(60, 120), (600, 10)], ids=["raised", "lowered"])
async def test_job13_ttl_changed_before_expiry_is_honoured(first: int, second: int) -> None:
    """JOB-13: the TTL in force when the Job expires counts, whether raised or lowered meanwhile."""
    async with bench() as b, b.controller():
        _, at = await finished_job(b, first)
        b.clock.advance(5)
        await b.settle()
        await b.client.patch(Job, "pi", {"spec": {"ttlSecondsAfterFinished": second}}, "default")
        await b.until(lambda: deleting(b))
        assert (await b.live()).metadata.deletion_timestamp == rfc3339(at + second)


@pytest.mark.parametrize("down_for", [10, 500], ids=["back-before-expiry", "back-after-expiry"])
async def test_job13_restart_mid_wait_keeps_the_expiry(down_for: int) -> None:
    """JOB-13: a controller stopped while waiting and started again deletes the Job at its expiry,
    or at once if the expiry passed while it was down."""
    async with bench() as b:
        async with b.controller():
            _, at = await finished_job(b, 100)
            b.clock.advance(50)
            await b.settle()
        b.clock.advance(down_for)
        await b.settle()
        assert (await b.live()).metadata.deletion_timestamp is None
        restarted = b.clock.now()
        async with b.controller():
            await b.until(lambda: deleting(b))
        assert (await b.live()).metadata.deletion_timestamp == rfc3339(max(at + 100, restarted))


async def test_job13_recreated_job_is_not_deleted_for_its_predecessor() -> None:
    """JOB-13: the DELETE carries the expired Job's uid; a Job recreated under the same name in the
    meantime survives it, and the controller then leaves the new (unfinished) Job alone."""
    async with bench() as b:
        racer = RecreatingClient(b.server)
        async with b.controller(racer):
            first, _ = await finished_job(b, 0)
            await b.until(lambda: racer.recreated is not None)
            recreated = racer.recreated
            assert recreated is not None and recreated.metadata.uid != first.metadata.uid
            b.clock.advance(600)
            await b.settle()
            live = await b.live()
            assert live.metadata.uid == recreated.metadata.uid
            assert live.metadata.deletion_timestamp is None


async def test_job13_failed_delete_is_retried() -> None:
    """JOB-13: a DELETE that fails (a store fault) is retried until the expired Job is deleted."""
    async with bench() as b:
        failing = FailingClient(b.server, failures=3)
        async with b.controller(failing):
            _, at = await finished_job(b, 10)
            await b.until(lambda: deleting(b))
            assert failing.attempts == 4
            gone = await b.live()
            assert gone.metadata.finalizers == ["foregroundDeletion"]
            assert gone.metadata.deletion_timestamp is not None
            assert gone.metadata.deletion_timestamp >= rfc3339(at + 10)
