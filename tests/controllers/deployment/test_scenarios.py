"""Deployments in a whole local cluster on a virtual clock: create, scale, rolling update, rollover,
Recreate (DEP-9, DEP-12, DEP-18, DEP-20, DEP-21, DEP-29..31, DEP-35)."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import Deployment, ReplicaSet, ReplicaSetSpec
from kubelite.api.core import Container, Pod, PodSpec, PodTemplateSpec
from kubelite.api.defaults import apply_defaults
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.controllers.deployment.hashing import template_hash
from tests.controllers.deployment.support import REVISION, Running, deployment, running

pytestmark = pytest.mark.anyio


def _ready(r: Running) -> bool:
    return r.deployments.get("web", "default") is not None and r.complete()


async def test_dep9_dep29_dep35_create_makes_revision_1_its_pods_status_and_event() -> None:
    """DEP-9: the new RS is `<deployment>-<hash>` with the hash label on labels, selector and template,
    minReadySeconds copied, the C-3 reference and the revision/desired/max annotations; the
    Deployment carries revision "1" but never the hash label. DEP-29/30/32 status and conditions;
    DEP-35 'Scaled up replica set X from 0 to 3'."""
    async with running() as r:
        created = await r.client.create(deployment(replicas=3))
        await r.until(lambda: _ready(r))
        [rs] = r.owned_sets()
        d = r.d()
        hash_ = template_hash(d.spec.template)
        assert rs.metadata.name == f"web-{hash_}"
        assert rs.metadata.labels == {"app": "web", "pod-template-hash": hash_}
        assert rs.spec.selector is not None and rs.spec.selector.match_labels == rs.metadata.labels
        assert rs.spec.template.metadata.labels == rs.metadata.labels
        ref = rs.metadata.owner_references[0]
        assert (ref.api_version, ref.kind, ref.name, ref.uid) == (
            "apps/v1",
            "Deployment",
            "web",
            created.metadata.uid,
        )
        assert ref.controller is True and ref.block_owner_deletion is True
        assert rs.metadata.annotations == {
            REVISION: "1",
            "deployment.kubernetes.io/desired-replicas": "3",
            "deployment.kubernetes.io/max-replicas": "4",
        }
        assert d.metadata.annotations == {REVISION: "1"}
        assert "pod-template-hash" not in d.metadata.labels
        s = d.status
        assert (s.observed_generation, s.replicas, s.updated_replicas, s.ready_replicas) == (1, 3, 3, 3)
        assert (s.available_replicas, s.unavailable_replicas) == (3, 0)
        conditions = {c.type: (c.status, c.reason, c.message) for c in s.conditions}
        assert conditions == {
            "Available": ("True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
            "Progressing": (
                "True",
                "NewReplicaSetAvailable",
                f'ReplicaSet "web-{hash_}" has successfully progressed.',
            ),
        }
        assert await r.scaling_events(1) == [f"Scaled up replica set web-{hash_} from 0 to 3"]
        assert all(p.metadata.labels["pod-template-hash"] == hash_ for p in r.live_pods())


async def test_dep12_dep22_scale_up_and_down_reuses_the_replica_set() -> None:
    """DEP-12: a replicas change creates no RS; DEP-22: the one active RS is sized to replicas and its
    desired/max annotations rewritten (DEP-35), with 'Scaled up/down' events."""
    async with running() as r:
        await r.client.create(deployment(replicas=2))
        await r.until(lambda: _ready(r))
        [rs] = r.owned_sets()
        name = rs.metadata.name
        await r.scale(5)
        await r.until(lambda: _ready(r) and r.d().spec.replicas == 5)
        await r.scale(1)
        await r.until(lambda: _ready(r) and r.d().spec.replicas == 1)
        [same] = r.owned_sets()
        assert same.metadata.name == name and same.spec.replicas == 1
        assert same.metadata.annotations["deployment.kubernetes.io/desired-replicas"] == "1"
        assert same.metadata.annotations["deployment.kubernetes.io/max-replicas"] == "2"
        assert r.d().metadata.annotations[REVISION] == "1"
        assert await r.scaling_events(3) == [
            f"Scaled up replica set {name} from 0 to 2",
            f"Scaled up replica set {name} from 2 to 5",
            f"Scaled down replica set {name} from 5 to 1",
        ]


def _watch_bounds(r: Running, samples: list[tuple[int, int]]) -> None:
    """Record (Σ spec.replicas over owned RSs, Σ available) at every observation."""
    sets = r.owned_sets()
    samples.append(
        (sum(rs.spec.replicas or 0 for rs in sets), sum(rs.status.available_replicas for rs in sets))
    )


async def test_dep18_rolling_update_in_the_cluster_moves_one_replica_at_a_time() -> None:
    """DEP-18: replicas 3 with default 25%/25% (surge 1, unavailable 0): new RS 1, then old→2, new→2,
    old→1, new→3, old→0; never more than 4 replicas, never fewer than 3 available; revision 2."""
    async with running() as r:
        await r.client.create(deployment(replicas=3))
        await r.until(lambda: _ready(r))
        [old] = r.owned_sets()
        await r.set_image("busybox:1.37")
        samples: list[tuple[int, int]] = []

        def done() -> bool:
            _watch_bounds(r, samples)
            return len(r.owned_sets()) == 2 and r.d().metadata.annotations.get(REVISION) == "2" and _ready(r)

        await r.until(done)
        assert max(total for total, _ in samples) <= 4
        assert min(available for _, available in samples) >= 3
        new = r.owned_sets()[1]
        o, n = old.metadata.name, new.metadata.name
        assert (await r.scaling_events(7))[1:] == [
            f"Scaled up replica set {n} from 0 to 1",
            f"Scaled down replica set {o} from 3 to 2",
            f"Scaled up replica set {n} from 1 to 2",
            f"Scaled down replica set {o} from 2 to 1",
            f"Scaled up replica set {n} from 2 to 3",
            f"Scaled down replica set {o} from 1 to 0",
        ]
        assert r.sizes() == {"1": 0, "2": 3}
        assert {p.spec.containers[0].image for p in r.live_pods()} == {"busybox:1.37"}


async def test_dep20_rollover_mid_rollout_makes_a_third_replica_set_and_retires_both() -> None:
    """DEP-20: a template change while a rollout is under way makes a third RS; the previous new RS
    becomes old and is scaled down; the end state is revision 3 with every replica on it."""
    async with running() as r:
        await r.client.create(deployment(replicas=4, surge=1, unavailable=0))
        await r.until(lambda: _ready(r))
        await r.set_image("busybox:1.37")
        await r.until(lambda: len(r.owned_sets()) == 2 and (r.owned_sets()[1].spec.replicas or 0) > 0)
        r.clock.advance(1)  # a later creationTimestamp for the third RS
        await r.set_image("busybox:1.38")
        samples: list[tuple[int, int]] = []

        def done() -> bool:
            _watch_bounds(r, samples)
            return r.d().metadata.annotations.get(REVISION) == "3" and _ready(r)

        await r.until(done)
        assert r.sizes() == {"1": 0, "2": 0, "3": 4}
        assert max(total for total, _ in samples) <= 5
        assert {p.spec.containers[0].image for p in r.live_pods()} == {"busybox:1.38"}
        second = r.owned_sets()[1].metadata.name
        await r.until(
            lambda: any(
                m.startswith(f"Scaled down replica set {second} from ")
                for m in r.messages("ScalingReplicaSet")
            )
        )


async def test_dep21_recreate_never_runs_old_and_new_pods_at_once() -> None:
    """DEP-21: Recreate scales the old RS to 0, waits until its pods are gone, then creates the new RS
    at full size in one step; with MaxUnavailable 0, Available is False while the pods are replaced."""
    async with running() as r:
        await r.client.create(deployment(replicas=3, recreate=True))
        await r.until(lambda: _ready(r))
        [old] = r.owned_sets()
        await r.set_image("busybox:1.37")
        mixed: list[set[str]] = []
        available: set[tuple[str, str]] = set()

        def done() -> bool:
            images = {
                p.spec.containers[0].image for p in r.pods.list("default") if p.status.phase != "Succeeded"
            }
            mixed.append(images)
            available.update((c.status, c.reason) for c in r.d().status.conditions if c.type == "Available")
            return r.d().metadata.annotations.get(REVISION) == "2" and _ready(r)

        await r.until(done)
        assert all(len(images) <= 1 for images in mixed)
        assert ("False", "MinimumReplicasUnavailable") in available  # MaxUnavailable is 0 under Recreate
        new = r.owned_sets()[1]
        assert (await r.scaling_events(3))[1:] == [
            f"Scaled down replica set {old.metadata.name} from 3 to 0",
            f"Scaled up replica set {new.metadata.name} from 0 to 3",
        ]


async def test_dep10_a_name_collision_raises_collision_count_and_rehashes() -> None:
    """DEP-10: an RS named like the new one but not ours: collisionCount 1, the next sync uses a new
    hash (DEP-8 with the count) and the stranger is left alone."""
    async with running() as r:
        d = deployment(replicas=1)
        hash_ = template_hash(_defaulted_template(d))
        stranger = ReplicaSet(
            metadata=ObjectMeta(name=f"web-{hash_}", namespace="default", labels={"other": "x"}),
            spec=ReplicaSetSpec(
                replicas=0, selector=LabelSelector(match_labels={"other": "x"}), template=_other()
            ),
        )
        await r.client.create(stranger)
        await r.client.create(d)
        await r.until(lambda: _ready(r))
        [rs] = r.owned_sets()
        assert r.d().status.collision_count == 1
        assert rs.metadata.name == f"web-{template_hash(r.d().spec.template, 1)}" != stranger.metadata.name
        assert r.sets.get(stranger.metadata.name, "default") is not None


def _defaulted_template(d: Deployment) -> PodTemplateSpec:
    copy = msgspec.json.decode(msgspec.json.encode(d), type=Deployment)
    apply_defaults(copy)
    return copy.spec.template


def _other() -> PodTemplateSpec:
    return PodTemplateSpec(
        metadata=ObjectMeta(labels={"other": "x"}),
        spec=PodSpec(containers=[Container(name="x", image="busybox")]),
    )


async def test_dep6_an_orphan_replica_set_with_the_template_is_adopted_as_the_new_one() -> None:
    """DEP-6/DEP-7: a matching orphan RS is adopted (C-3 reference) and, with an equal template, is the
    new RS: no second RS is created."""
    async with running() as r:
        d = deployment(replicas=2)
        labels = {"app": "web", "pod-template-hash": "orphan"}
        template = msgspec.structs.replace(d.spec.template, metadata=ObjectMeta(labels=labels))
        orphan = ReplicaSet(
            metadata=ObjectMeta(name="web-orphan", namespace="default", labels=labels),
            spec=ReplicaSetSpec(replicas=2, selector=LabelSelector(match_labels=labels), template=template),
        )
        await r.client.create(orphan)
        created = await r.client.create(d)
        await r.until(lambda: _ready(r))
        [rs] = r.owned_sets()
        assert rs.metadata.name == "web-orphan"
        assert rs.metadata.owner_references[0].uid == created.metadata.uid
        assert rs.metadata.annotations[REVISION] == "1"
        assert all(isinstance(p, Pod) for p in r.live_pods()) and len(r.live_pods()) == 2


async def test_dep6_dep10_an_owned_replica_set_whose_labels_stop_matching_is_released() -> None:
    """DEP-6: an owned RS whose labels no longer match the selector is released (its reference to the
    Deployment removed); the Deployment then makes a new RS, and as the released one holds the name
    it would take, collisionCount becomes 1 and the new RS gets the next hash (DEP-10)."""
    async with running() as r:
        await r.client.create(deployment(replicas=1))
        await r.until(lambda: _ready(r))
        [rs] = r.owned_sets()
        name = rs.metadata.name
        await r.client.patch(ReplicaSet, name, {"metadata": {"labels": {"app": "gone"}}}, "default")
        await r.until(lambda: len(r.owned_sets()) == 1 and r.owned_sets()[0].metadata.name != name)
        released = r.sets.get(name, "default")
        assert released is not None and released.metadata.owner_references == []
        assert r.d().status.collision_count == 1
        assert r.owned_sets()[0].metadata.name == f"web-{template_hash(r.d().spec.template, 1)}"
