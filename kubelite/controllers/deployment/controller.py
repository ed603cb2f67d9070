"""`DeploymentController`: the Deployment controller on a `Manager` (upstream's
`deployment_controller.go`, `sync.go`, `rolling.go`, `recreate.go`), a thin loop over the planners.

    DeploymentController(manager, client, recorder)

It reconciles Deployments (`for_kind`), their ReplicaSets (`owns`), orphan ReplicaSets whose
labels match a Deployment, and pods of a Recreate Deployment's ReplicaSets (so the new RS is
created as soon as the old pods are gone). One sync applies the first matching rule (DEP-11):
(a) an empty selector: Warning `SelectingAll`, only `observedGeneration` is written;
then the RSs are claimed (DEP-6); (b) being deleted: status only; (c) the paused condition
(DEP-33); (d) paused, or (e) an active RS's `desired-replicas` differs from `spec.replicas`: a
scale-only sync (`proportion`, DEP-22..25; history cleanup when paused); (f) a rollout by the
strategy (`rolling` DEP-13..20, `recreate` DEP-21), history cleanup once complete (DEP-28), then
the status with the Progressing condition (DEP-29..34), requeued for the deadline check.
Writes that lose a race (Conflict) fail the sync, which is retried with back-off.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import structlog

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.core import Pod
from kubelite.api.labels import Selector, from_label_selector
from kubelite.client import Client, EventRecorder
from kubelite.controllers.deployment import fenceposts, writes
from kubelite.controllers.deployment.identity import split
from kubelite.controllers.deployment.model import view
from kubelite.controllers.deployment.progress import paused_conditions
from kubelite.controllers.deployment.proportion import plan_proportional
from kubelite.controllers.deployment.recreate import plan_recreate
from kubelite.controllers.deployment.rolling import plan_rolling
from kubelite.controllers.deployment.status import is_complete
from kubelite.controllers.deployment.sync import SyncState
from kubelite.controllers.runtime import Manager, Request, Result, TerminalError
from kubelite.controllers.runtime.claims import controller_of, plan_claims

log = structlog.get_logger("kubelite.controllers.deployment")
COMPONENT = "deployment-controller"
TERMINAL_PHASES = frozenset({"Succeeded", "Failed"})


@dataclass(frozen=True, slots=True)
class DeploymentSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--concurrent-deployment-syncs`, 5)."""


class DeploymentController:
    def __init__(
        self,
        manager: Manager,
        client: Client,
        recorder: EventRecorder,
        settings: DeploymentSettings | None = None,
    ) -> None:
        self.settings = settings or DeploymentSettings()
        self._client, self._recorder, self._clock = client, recorder, manager.clock
        factory = manager.factory
        self._deployments = factory.lister(Deployment)
        self._sets = factory.lister(ReplicaSet)
        self._pods = factory.lister(Pod)
        builder = manager.controller("deployment", self, workers=self.settings.workers)
        builder.for_kind(Deployment).owns(ReplicaSet).watches(ReplicaSet, self._orphan_owners)
        builder.watches(Pod, self._recreate_owner)

    async def reconcile(self, request: Request) -> Result | None:
        d = self._deployments.get(request.name, request.namespace)
        if d is None:
            return None
        try:
            selector = from_label_selector(d.spec.selector)
        except ValueError as err:
            raise TerminalError(f"invalid selector: {err}") from err
        if selector.empty:
            await self._selecting_all(d)
            return None
        state = SyncState(
            self._client, self._recorder, self._clock, d, fenceposts.of(d), {}, list(d.status.conditions)
        )
        state.sets = {rs.metadata.name: rs for rs in await self._claim(d, selector)}
        if d.metadata.deletion_timestamp is not None:
            state.identify()
            await state.write_status(rollout=False)
            return None
        await self._check_paused(state)
        if d.spec.paused or self._scaling_event(state):
            await self._scale_only(state)
            return None
        if d.spec.strategy.type == "Recreate":
            return await self._recreate(state)
        return await self._rolling(state)

    async def _selecting_all(self, d: Deployment) -> None:
        message = "This deployment is selecting all pods. A non-empty selector is required."
        self._recorder.event(d, "Warning", "SelectingAll", message)
        if d.status.observed_generation < d.metadata.generation:
            status = msgspec.structs.replace(d.status, observed_generation=d.metadata.generation)
            await writes.write_status(self._client, d, status)

    async def _claim(self, d: Deployment, selector: Selector) -> list[ReplicaSet]:
        deleting = d.metadata.deletion_timestamp is not None
        claims = plan_claims(
            d.metadata.uid, selector, self._sets.list(d.metadata.namespace), owner_deleting=deleting
        )
        owned = list(claims.owned)
        for rs in claims.adopt:
            if (adopted := await writes.adopt_rs(self._client, d, rs)) is not None:
                owned.append(adopted)
        for rs in claims.release:
            await writes.release_rs(self._client, d, rs)
        return owned

    async def _check_paused(self, state: SyncState) -> None:
        d = state.deployment
        conditions = paused_conditions(
            state.conditions,
            paused=d.spec.paused,
            has_deadline=d.spec.progress_deadline_seconds is not None,
            now=self._clock.now(),
        )
        if conditions is not None:
            state.conditions = conditions

    def _scaling_event(self, state: SyncState) -> bool:
        replicas = state.f.replicas
        new, olds = split(state.deployment.spec.template, list(state.sets.values()))
        views = [view(rs) for rs in [*([new] if new else []), *olds]]
        return any(rs.active and rs.desired is not None and rs.desired != replicas for rs in views)

    async def _scale_only(self, state: SyncState) -> None:
        d = state.deployment
        await state.sync_revision(create=False)
        new, olds = state.views()
        steps = plan_proportional(
            new, olds, state.f, status_replicas=d.status.replicas, rolling=d.spec.strategy.type != "Recreate"
        )
        await state.resize(steps)
        if d.spec.paused:
            await state.cleanup()
        await state.write_status(rollout=False)

    async def _rolling(self, state: SyncState) -> Result | None:
        await state.sync_revision(create=True)
        new, olds = state.views()
        assert new is not None  # created above, or the create raised
        if not await state.resize(plan_rolling(new, olds, state.f)):
            await self._cleanup_if_complete(state)
        return _requeue(await state.write_status(rollout=True))

    async def _recreate(self, state: SyncState) -> Result | None:
        await state.sync_revision(create=False)
        new, olds = state.views()
        plan = plan_recreate(new, olds, state.f.replicas, old_pods_running=self._old_pods_running(state))
        if plan.create:
            await state.sync_revision(create=True)
        elif plan.scale_down or plan.scale_up:
            await state.resize([*plan.scale_down, *([plan.scale_up] if plan.scale_up else [])])
        if not plan.scale_down and not plan.wait:
            await self._cleanup_if_complete(state)
        return _requeue(await state.write_status(rollout=True))

    async def _cleanup_if_complete(self, state: SyncState) -> None:
        d = state.deployment
        if is_complete(state.f.replicas, d.metadata.generation, d.status):
            await state.cleanup()

    def _old_pods_running(self, state: SyncState) -> bool:
        new = state.new
        olds = {
            rs.metadata.uid
            for rs in state.sets.values()
            if new is None or rs.metadata.uid != new.metadata.uid
        }
        for pod in self._pods.list(state.deployment.metadata.namespace):
            ref = controller_of(pod)
            if ref is not None and ref.uid in olds and pod.status.phase not in TERMINAL_PHASES:
                return True
        return False

    def _orphan_owners(self, rs: ReplicaSet) -> list[Request]:
        if controller_of(rs) is not None:
            return []
        namespace = rs.metadata.namespace
        return [
            Request(namespace, d.metadata.name)
            for d in self._deployments.list(namespace)
            if _selects(d, rs.metadata.labels)
        ]

    def _recreate_owner(self, pod: Pod) -> list[Request]:
        ref = controller_of(pod)
        if ref is None or ref.kind != "ReplicaSet":
            return []
        rs = self._sets.get(ref.name, pod.metadata.namespace)
        owner = controller_of(rs) if rs is not None else None
        if owner is None or owner.kind != "Deployment":
            return []
        d = self._deployments.get(owner.name, pod.metadata.namespace)
        if d is None or d.spec.strategy.type != "Recreate":
            return []
        return [Request(pod.metadata.namespace, owner.name)]


def _selects(d: Deployment, labels: dict[str, str]) -> bool:
    try:
        selector = from_label_selector(d.spec.selector)
    except ValueError:
        return False
    return not selector.empty and selector.matches(labels)


def _requeue(delay: float | None) -> Result | None:
    return Result(requeue_after=delay) if delay else None
