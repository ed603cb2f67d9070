"""`TTLAfterFinishedController`: deletes finished Jobs once their `ttlSecondsAfterFinished` has
passed (JOB-13; upstream's `ttlafterfinished` controller).

A reconciler keyed by Job namespace/name on a `Manager` (shared Job informer). Only Jobs that have a
TTL and have finished reach its queue. For each, `plan.plan_ttl` on the cached Job and the manager's
clock decides: nothing; requeue after exactly the time left (the workqueue's delay on the same
clock, so the Job is deleted at expiry and not a tick before); or expired. An expired Job is read
again with a live GET, since the cache may hold a stale TTL or finish: if the fresh Job is gone,
unfinished, being deleted or not yet expired, nothing is deleted (a later TTL is waited for).
Otherwise it is deleted with `propagationPolicy: Foreground` (the garbage collector removes its
pods first) and a precondition on the fresh Job's uid, so a Job recreated under the same name in
between is never deleted for its predecessor; that conflict, like any failed write, is retried and
the retry plans afresh. Nothing is kept between reconciles, so a restarted controller finds every
pending expiry again from the informer's initial list.
"""

from __future__ import annotations

import structlog

from kubelite.api.batch import Job
from kubelite.api.meta import DeleteOptions, Preconditions
from kubelite.client import Client
from kubelite.client.errors import NotFound
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.controllers.runtime.predicates import matching
from kubelite.controllers.ttlafterfinished.plan import Expired, Wait, needs_cleanup, plan_ttl

log = structlog.get_logger("kubelite.controllers.ttlafterfinished")

NAME = "ttl-after-finished-controller"


class TTLAfterFinishedController:
    def __init__(self, manager: Manager, client: Client) -> None:
        self._client = client
        self._clock = manager.clock
        self._jobs = manager.factory.lister(Job)
        manager.controller(NAME, self).for_kind(Job, predicates=[matching(needs_cleanup)])

    async def reconcile(self, request: Request) -> Result | None:
        job = self._jobs.get(request.name, request.namespace)
        if job is None:
            return None
        decision = plan_ttl(job, self._clock.now())
        if not isinstance(decision, Expired):
            return _result(decision)
        fresh = await self._fresh(request)
        if fresh is None:
            return None
        decision = plan_ttl(fresh, self._clock.now())
        if not isinstance(decision, Expired):
            return _result(decision)
        await self._delete(fresh)
        return None

    async def _fresh(self, request: Request) -> Job | None:
        try:
            return await self._client.get(Job, request.name, request.namespace)
        except NotFound:
            return None

    async def _delete(self, job: Job) -> None:
        meta = job.metadata
        log.info("ttl_expired_job_deleted", job=f"{meta.namespace}/{meta.name}", uid=meta.uid)
        options = DeleteOptions(propagation_policy="Foreground", preconditions=Preconditions(uid=meta.uid))
        try:
            await self._client.delete(Job, meta.name, meta.namespace, options=options)
        except NotFound:
            return


def _result(decision: Wait | None) -> Result | None:
    return Result(requeue_after=decision.seconds) if decision is not None else None
