"""One Deployment sync's state and its building blocks (upstream's `sync.go`), over the planners.

A `SyncState` is made per reconcile from the listers and the claimed RSs. Its methods perform the
writes the planners ask for and keep the state current (each written RS replaces the cached one):
- `sync_revision(create=...)`: DEP-26 on the new RS (revision raised, history appended on a
  rollback, Deployment annotations and `minReadySeconds` copied), or its creation (DEP-9, DEP-10,
  DEP-32's `NewReplicaSetCreated`/`ReplicaSetCreateError`); the Deployment's revision annotation;
  `FoundNewReplicaSet` when there is no Progressing condition yet.
- `resize(steps)`: each RS scaled with a `ScalingReplicaSet` event (DEP-35).
- `cleanup()`: history cleanup (DEP-28).
- `write_status(rollout=...)`: DEP-29..34; returns the delay of the next deadline check.
Conditions set along the way are written with the final status, in one write.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import msgspec

from kubelite.api.apps import Deployment, DeploymentCondition, ReplicaSet
from kubelite.api.errors import AlreadyExists, NotFound
from kubelite.client import Client, EventRecorder
from kubelite.clock import Clock
from kubelite.controllers.deployment import progress, revisions, writes
from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.hashing import equal_ignoring_hash, template_hash
from kubelite.controllers.deployment.identity import new_replica_set, split
from kubelite.controllers.deployment.model import Resize, RSView, view
from kubelite.controllers.deployment.rolling import new_rs_replicas
from kubelite.controllers.deployment.status import (
    PROGRESSING,
    compute_status,
    condition,
    get_condition,
    replica_failure,
    set_condition,
)
from kubelite.controllers.runtime.claims import controller_of


class CollisionError(Exception):
    """The new RS's name is taken by another RS: `collisionCount` was raised; retry with a new hash."""


@dataclass
class SyncState:
    client: Client
    recorder: EventRecorder
    clock: Clock
    deployment: Deployment
    f: Fenceposts
    sets: dict[str, ReplicaSet]
    conditions: list[DeploymentCondition] = field(default_factory=list)
    new_name: str | None = None

    @property
    def new(self) -> ReplicaSet | None:
        return self.sets.get(self.new_name) if self.new_name else None

    @property
    def olds(self) -> list[ReplicaSet]:
        return [rs for name, rs in self.sets.items() if name != self.new_name]

    def views(self) -> tuple[RSView | None, list[RSView]]:
        new = self.new
        return (view(new) if new else None), [view(rs) for rs in self.olds]

    def _set(self, new: DeploymentCondition) -> None:
        self.conditions = set_condition(self.conditions, new)

    def identify(self) -> ReplicaSet | None:
        """Find the new RS (DEP-7) without writing anything."""
        new, _ = split(self.deployment.spec.template, list(self.sets.values()))
        self.new_name = new.metadata.name if new else None
        return new

    async def sync_revision(self, *, create: bool) -> None:
        new = self.identify()
        revision = revisions.next_revision([view(rs).revision for rs in self.olds])
        if new is not None:
            await self._update_new(new, revision)
        elif create:
            await self._create_new(revision)
        if (new := self.new) is not None:
            self.deployment = await writes.set_revision(self.client, self.deployment, str(view(new).revision))

    async def _update_new(self, rs: ReplicaSet, revision: int) -> None:
        d = self.deployment
        annotations = revisions.rs_annotations(d.metadata.annotations, rs.metadata.annotations, revision)
        updated = await writes.sync_new_rs(self.client, rs, annotations, d.spec.min_ready_seconds)
        self.sets[updated.metadata.name] = updated
        if (
            d.spec.progress_deadline_seconds is not None
            and get_condition(self.conditions, PROGRESSING) is None
        ):
            message = f'Found new replica set "{rs.metadata.name}"'
            self._set(condition(PROGRESSING, "True", progress.FOUND_NEW_RS, message, self.clock.now()))

    async def _create_new(self, revision: int) -> None:
        d, f = self.deployment, self.f
        total = sum(rs.spec.replicas or 0 for rs in self.olds)
        replicas = new_rs_replicas(0, total, f) if d.spec.strategy.type != "Recreate" else f.replicas
        annotations = revisions.rs_annotations(d.metadata.annotations, {}, revision)
        annotations = revisions.with_replicas_annotations(annotations, f.replicas, f.max_total)
        rs = new_replica_set(
            d, template_hash(d.spec.template, d.status.collision_count), replicas, annotations
        )
        try:
            created = await self.client.create(rs)
        except AlreadyExists:
            created = await self._existing_new(rs)
        except Exception as err:
            await self._create_failed(rs, err)
            raise
        else:
            self._created(created, replicas)
        self.sets[created.metadata.name] = created
        self.new_name = created.metadata.name

    def _created(self, rs: ReplicaSet, replicas: int) -> None:
        name = rs.metadata.name
        if replicas > 0:
            self.recorder.event(
                self.deployment,
                "Normal",
                "ScalingReplicaSet",
                f"Scaled up replica set {name} from 0 to {replicas}",
            )
        if self.deployment.spec.progress_deadline_seconds is not None:
            message = f'Created new replica set "{name}"'
            self._set(condition(PROGRESSING, "True", progress.NEW_RS_CREATED, message, self.clock.now()))

    async def _existing_new(self, rs: ReplicaSet) -> ReplicaSet:
        """DEP-10: an RS by that name exists; it is the new RS only if ours with an equal template."""
        d = self.deployment
        existing = await self.client.get(ReplicaSet, rs.metadata.name, rs.metadata.namespace)
        ref = controller_of(existing)
        if (
            ref is not None
            and ref.uid == d.metadata.uid
            and equal_ignoring_hash(existing.spec.template, d.spec.template)
        ):
            return existing
        status = msgspec.structs.replace(d.status, collision_count=(d.status.collision_count or 0) + 1)
        await writes.write_status(self.client, d, status)
        raise CollisionError(
            f"replica set {rs.metadata.name} exists and is not this deployment's new replica set"
        )

    async def _create_failed(self, rs: ReplicaSet, err: Exception) -> None:
        message = f'Failed to create new replica set "{rs.metadata.name}": {err}'
        self.recorder.event(self.deployment, "Warning", progress.RS_CREATE_ERROR, message)
        if self.deployment.spec.progress_deadline_seconds is not None:
            self._set(condition(PROGRESSING, "False", progress.RS_CREATE_ERROR, message, self.clock.now()))
            await self.write_status(rollout=False)

    async def resize(self, steps: list[Resize]) -> bool:
        changed = False
        for step in steps:
            rs = self.sets[step.name]
            before = rs.spec.replicas or 0
            updated = await writes.scale_rs(self.client, rs, step.replicas, self.f)
            self.sets[step.name] = updated
            if before != step.replicas:
                changed = True
                direction = "up" if step.replicas > before else "down"
                message = f"Scaled {direction} replica set {step.name} from {before} to {step.replicas}"
                self.recorder.event(self.deployment, "Normal", "ScalingReplicaSet", message)
        return changed

    async def cleanup(self) -> None:
        entries = [_history_entry(rs) for rs in self.olds]
        for name in revisions.cleanup(entries, self.deployment.spec.revision_history_limit):
            with contextlib.suppress(NotFound):
                await self.client.delete(ReplicaSet, name, self.deployment.metadata.namespace)
            self.sets.pop(name, None)

    async def write_status(self, *, rollout: bool) -> float | None:
        d, now = self.deployment, self.clock.now()
        new, olds = self.views()
        base = msgspec.structs.replace(d.status, conditions=self.conditions)
        all_views = [*([new] if new else []), *olds]
        status = compute_status(base, new, all_views, self.f, d.metadata.generation, now)
        delay = None
        if rollout:
            r = progress.Rollout(
                d.metadata.name, self.new_name, self.f.replicas, d.metadata.generation,
                d.spec.progress_deadline_seconds, now,
            )  # fmt: skip
            status.conditions = progress.rollout_conditions(
                d.status, status, r, replica_failure(self.new, self.olds)
            )
            delay = progress.requeue_after(status, r)
        await writes.write_status(self.client, d, status)
        return delay


def _history_entry(rs: ReplicaSet) -> revisions.HistoryEntry:
    meta = rs.metadata
    return revisions.HistoryEntry(
        name=meta.name,
        created=meta.creation_timestamp or "",
        revision=view(rs).revision,
        replicas=rs.spec.replicas or 0,
        status_replicas=rs.status.replicas,
        observed=rs.status.observed_generation >= meta.generation,
        deleting=meta.deletion_timestamp is not None,
    )
