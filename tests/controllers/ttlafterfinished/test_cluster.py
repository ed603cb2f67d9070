"""JOB-13 in a whole local cluster: the TTL controller is wired in, and its Foreground delete lets
the garbage collector remove the finished Job's pods before the Job itself goes."""

from __future__ import annotations

import pytest

from kubelite.api.batch import Job
from kubelite.api.core import Pod
from tests.controllers.gc.support import pod, ref, running
from tests.controllers.ttlafterfinished.support import finish, job

pytestmark = pytest.mark.anyio


async def test_job13_expired_job_goes_after_its_pods() -> None:
    """JOB-13: at finishTime + ttl the Job turns terminating with foregroundDeletion; the GC deletes
    its pods; the Job disappears once they are gone, never before their expiry."""
    async with running() as r:
        client = r.cluster.client
        created = await client.create(job(ttl=20))
        at = float(int(r.clock.now()))
        done = await finish(client, created, at)
        labels = done.spec.template.metadata.labels
        for name in ("pi-a", "pi-b"):
            owned = pod(name, ref(done, block=True, controller=True), grace=5)
            owned.metadata.labels = dict(labels)
            await client.create(owned)
        await r.until(
            lambda: len([p for p in r.lister(Pod).list("default") if p.status.phase == "Running"]) == 2
        )
        seen: list[tuple[float, list[str], int]] = []

        def job_gone() -> bool:
            current = r.get(Job, "pi")
            if current is not None and current.metadata.deletion_timestamp is not None:
                seen.append((r.clock.now(), current.metadata.finalizers, len(r.lister(Pod).list("default"))))
            return current is None

        await r.until(job_gone, seconds=30)
        assert seen, "the Job was never seen terminating"
        first_at, finalizers, pods_then = seen[0]
        assert first_at >= at + 20
        assert finalizers == ["foregroundDeletion"] and pods_then == 2
        assert (await client.list(Pod, "default")).items == []
