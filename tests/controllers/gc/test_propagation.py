"""GC-5 and GC-6 in a whole local cluster on a virtual clock: Foreground and Orphan deletion, and
each kind's default policy. Owners are plain objects (ConfigMaps, ReplicaSets of 0 replicas,
Jobs without a Job controller), dependents ConfigMaps and pods run by a fake node."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import ReplicaSet, ReplicaSetSpec
from kubelite.api.batch import Job, JobSpec
from kubelite.api.core import (
    ConfigMap,
    Pod,
    PodTemplateSpec,
    ReplicationController,
    ReplicationControllerSpec,
)
from kubelite.api.meta import DeleteOptions, LabelSelector, Object, ObjectMeta
from tests.controllers.gc.support import Running, config_map, pod, ref, running

pytestmark = pytest.mark.anyio
FOREGROUND = DeleteOptions(propagation_policy="Foreground")
ORPHAN = DeleteOptions(propagation_policy="Orphan")


def _running_pod(r: Running, name: str) -> bool:
    p = r.get(Pod, name)
    return p is not None and p.status.phase == "Running"


async def test_gc5_foreground_owner_stays_until_blocking_dependents_and_their_pods_are_gone() -> None:
    """top → middle (blocking) → two pods (blocking, 30 s grace) and a non-blocking ConfigMap
    held by a finalizer of its own: top and middle stay readable, terminating with
    `foregroundDeletion`, until the pods have terminated; middle is deleted in the foreground as
    it has dependents; the non-blocking dependent is deleted but not waited for."""
    async with running() as r:
        client = r.cluster.client
        top = await client.create(config_map("top"))
        middle = await client.create(config_map("middle", ref(top, block=True)))
        for name in ("p1", "p2"):
            await client.create(pod(name, ref(middle, block=True)))
        await client.create(config_map("loose", ref(top), finalizers=["example.com/hold"]))
        await r.until(lambda: _running_pod(r, "p1") and _running_pod(r, "p2"))
        start = r.clock.now()

        kept = await client.delete(ConfigMap, "top", "default", options=FOREGROUND)
        assert kept is not None and kept.metadata.finalizers == ["foregroundDeletion"]
        assert kept.metadata.deletion_timestamp is not None

        def pods_terminating() -> bool:
            return all(
                (p := r.get(Pod, n)) is not None and p.metadata.deletion_timestamp for n in ("p1", "p2")
            )

        await r.until(pods_terminating)
        for name in ("top", "middle"):
            cm = r.get(ConfigMap, name)
            assert cm is not None and cm.metadata.deletion_timestamp is not None
            assert cm.metadata.finalizers == ["foregroundDeletion"]
        loose = r.get(ConfigMap, "loose")
        assert loose is not None and loose.metadata.deletion_timestamp is not None

        await r.until(lambda: r.get(ConfigMap, "top") is None, seconds=30)
        assert r.get(Pod, "p1") is None and r.get(Pod, "p2") is None and r.get(ConfigMap, "middle") is None
        assert r.clock.now() - start >= 29  # the pods' grace period ran before the owners went
        loose = r.get(ConfigMap, "loose")
        assert loose is not None and loose.metadata.finalizers == ["example.com/hold"]


async def test_gc5_non_blocking_dependents_do_not_hold_the_owner() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        await client.create(config_map("held", ref(owner, block=False), finalizers=["example.com/hold"]))
        await r.until(lambda: r.get(ConfigMap, "held") is not None)
        await client.delete(ConfigMap, "owner", "default", options=FOREGROUND)
        await r.until(lambda: r.get(ConfigMap, "owner") is None)
        held = r.get(ConfigMap, "held")
        assert held is not None and held.metadata.deletion_timestamp is not None


async def test_gc5_blocking_dependent_with_a_finalizer_holds_the_owner_until_released() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        await client.create(config_map("held", ref(owner, block=True), finalizers=["example.com/hold"]))
        await r.until(lambda: r.get(ConfigMap, "held") is not None)
        await client.delete(ConfigMap, "owner", "default", options=FOREGROUND)
        await r.until(
            lambda: (h := r.get(ConfigMap, "held")) is not None and h.metadata.deletion_timestamp is not None
        )
        r.clock.advance(600)
        await r.until(lambda: r.get(ConfigMap, "owner") is not None)
        owner_now = r.get(ConfigMap, "owner")
        assert owner_now is not None and owner_now.metadata.finalizers == ["foregroundDeletion"]
        await client.patch(ConfigMap, "held", {"metadata": {"finalizers": None}}, "default")
        await r.until(lambda: r.get(ConfigMap, "owner") is None and r.get(ConfigMap, "held") is None)


async def test_gc5_a_blocking_ownership_cycle_deleted_in_the_foreground_goes_away() -> None:
    """GC-5 with a cycle (a owns b, b owns a, both blocking): as upstream's attemptToDeleteItem, a
    dependent whose own dependent is also deleting its dependents gets its references unblocked
    (blockOwnerDeletion=false) before its Foreground delete, so neither waits on the other forever."""
    async with running() as r:
        client = r.cluster.client
        a = await client.create(config_map("a"))
        b = await client.create(config_map("b", ref(a, block=True)))
        await client.patch(
            ConfigMap,
            "a",
            {"metadata": {"ownerReferences": [msgspec.to_builtins(ref(b, block=True))]}},
            "default",
        )
        await r.until(lambda: (x := r.get(ConfigMap, "a")) is not None and bool(x.metadata.owner_references))
        await client.delete(ConfigMap, "a", "default", options=FOREGROUND)
        await r.until(lambda: r.get(ConfigMap, "a") is None and r.get(ConfigMap, "b") is None)


async def test_gc6_orphan_strips_the_owner_from_dependents_which_survive() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        other = await client.create(config_map("other"))
        await client.create(config_map("a", ref(owner, block=True, controller=True)))
        await client.create(config_map("b", ref(owner), ref(other)))
        await r.until(lambda: r.get(ConfigMap, "a") is not None and r.get(ConfigMap, "b") is not None)
        kept = await client.delete(ConfigMap, "owner", "default", options=ORPHAN)
        assert kept is not None and kept.metadata.finalizers == ["orphan"]
        await r.until(lambda: r.get(ConfigMap, "owner") is None)
        a, b = r.get(ConfigMap, "a"), r.get(ConfigMap, "b")
        assert a is not None and a.metadata.owner_references == [] and a.metadata.deletion_timestamp is None
        assert b is not None and b.metadata.owner_references == [ref(other)]
        assert b.metadata.deletion_timestamp is None


def _rs() -> ReplicaSet:
    labels = {"app": "gc"}
    template = PodTemplateSpec(metadata=ObjectMeta(labels=labels), spec=pod("t").spec)
    spec = ReplicaSetSpec(replicas=0, selector=LabelSelector(match_labels=labels), template=template)
    return ReplicaSet(metadata=ObjectMeta(name="owner", namespace="default"), spec=spec)


def _rc() -> ReplicationController:
    labels = {"app": "gc"}
    template = PodTemplateSpec(metadata=ObjectMeta(labels=labels), spec=pod("t").spec)
    spec = ReplicationControllerSpec(replicas=0, selector=labels, template=template)
    return ReplicationController(metadata=ObjectMeta(name="owner", namespace="default"), spec=spec)


def _job() -> Job:
    template = PodTemplateSpec(spec=msgspec.structs.replace(pod("t").spec, restart_policy="Never"))
    return Job(
        metadata=ObjectMeta(name="owner", namespace="default"), spec=JobSpec(template=template, suspend=True)
    )


@pytest.mark.parametrize(
    ("make", "orphans"),
    [(_rs, False), (_rc, True), (_job, True)],
    ids=["apps-v1-replicaset-background", "core-v1-rc-orphan", "batch-v1-job-orphan"],
)
async def test_gc6_default_propagation_per_kind(make: object, orphans: bool) -> None:
    async with running() as r:
        client = r.cluster.client
        owner: Object = await client.create(make())  # type: ignore[operator]
        await client.create(config_map("dep", ref(owner, block=True, controller=True)))
        await r.until(lambda: r.get(ConfigMap, "dep") is not None)
        await client.delete(type(owner), "owner", "default")
        await r.until(lambda: r.get(type(owner), "owner") is None)
        if orphans:
            dep = r.get(ConfigMap, "dep")
            assert dep is not None and dep.metadata.owner_references == []
        else:
            await r.until(lambda: r.get(ConfigMap, "dep") is None)


async def test_gc5_replicaset_deleted_in_the_foreground_stays_until_its_pods_are_gone() -> None:
    """Upstream's example with the ReplicaSet controller running: the RS's pods (C-3 references,
    blocking) are deleted and run out their grace; the RS stays readable, terminating, meanwhile,
    and no replacement pod is created (RS-9)."""
    async with running() as r:
        client = r.cluster.client
        rs = _rs()
        rs.spec.replicas = 2
        rs.spec.template.spec.termination_grace_period_seconds = 10
        created = await client.create(rs)

        def pods() -> list[Pod]:
            return [p for p in r.lister(Pod).list("default") if p.metadata.owner_references]

        await r.until(lambda: len([p for p in pods() if p.status.phase == "Running"]) == 2)
        assert all(p.metadata.owner_references[0].block_owner_deletion for p in pods())
        start = r.clock.now()
        await client.delete(ReplicaSet, "owner", "default", options=FOREGROUND)
        await r.until(lambda: len(pods()) == 2 and all(p.metadata.deletion_timestamp for p in pods()))
        kept = r.get(ReplicaSet, "owner")
        assert kept is not None and kept.metadata.uid == created.metadata.uid
        assert kept.metadata.finalizers == ["foregroundDeletion"] and kept.metadata.deletion_timestamp
        await r.until(lambda: r.get(ReplicaSet, "owner") is None, seconds=30)
        assert pods() == [] and r.clock.now() - start >= 9
