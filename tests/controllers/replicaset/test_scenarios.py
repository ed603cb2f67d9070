"""ReplicaSets and ReplicationControllers in a whole local cluster on a virtual clock: create, scale
up and down, minReadySeconds, adoption and release, terminating pods, deletion, events."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import ReplicaSet
from kubelite.api.core import ConfigMap, Pod, ReplicationController, ReplicationControllerSpec
from kubelite.api.errors import Invalid
from kubelite.api.meta import DeleteOptions, ObjectMeta, OwnerReference
from kubelite.clock import parse_rfc3339
from kubelite.controllers.replicaset.writes import AdoptionRefused, adopt, check_can_adopt
from tests.controllers.replicaset.support import bare_pod, replica_set, running, template

pytestmark = pytest.mark.anyio


async def _scale(client: object, rs: ReplicaSet, replicas: int) -> None:
    spec = msgspec.structs.replace(rs.spec, replicas=replicas)
    await client.update(msgspec.structs.replace(rs, spec=spec))  # type: ignore[attr-defined]


async def test_rs4_rs8_rs10_create_runs_the_pods_and_reports_status_and_events() -> None:
    async with running() as r:
        rs = replica_set(replicas=3)
        rs.spec.template.metadata.annotations = {"team": "blue"}
        created = await r.cluster.client.create(rs)
        uid = created.metadata.uid

        def settled() -> bool:
            rs = r.sets.get("web", "default")
            return (
                rs is not None
                and rs.status.available_replicas == 3
                and len(r.messages("SuccessfulCreate")) == 3
            )

        await r.until(settled)
        pods = r.owned(uid)
        assert len(pods) == 3
        for pod in pods:
            assert pod.metadata.generate_name == "web-"
            assert pod.metadata.name.startswith("web-")
            assert pod.metadata.labels == {"app": "web"}
            assert pod.metadata.annotations == {"team": "blue"}
            assert [(c.name, c.image, c.command) for c in pod.spec.containers] == [
                ("web", "busybox:1.36", ["sleep", "3600"])
            ]
            ref = pod.metadata.owner_references[0]
            assert (ref.api_version, ref.kind, ref.name, ref.uid) == ("apps/v1", "ReplicaSet", "web", uid)
            assert ref.controller is True and ref.block_owner_deletion is True
            assert pod.status.phase == "Running"
        status = r.rs().status
        assert (status.replicas, status.fully_labeled_replicas, status.ready_replicas) == (3, 3, 3)
        assert (status.available_replicas, status.observed_generation, status.conditions) == (3, 1, [])
        assert r.messages("SuccessfulCreate") == sorted(f"Created pod: {p.metadata.name}" for p in pods)


async def test_rs4_rs5_scale_up_then_down_keeps_exactly_replicas_pods() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=2))
        uid = created.metadata.uid
        await r.until(lambda: r.rs().status.ready_replicas == 2 if r.sets.get("web", "default") else False)
        await _scale(r.cluster.client, r.rs(), 5)
        await r.until(lambda: r.rs().status.ready_replicas == 5 and r.rs().status.observed_generation == 2)
        assert len(r.owned(uid)) == 5
        await _scale(r.cluster.client, r.rs(), 1)
        await r.until(lambda: len(r.owned(uid)) == 1 and r.rs().status.replicas == 1)
        await r.until(lambda: len(r.messages("SuccessfulDelete")) == 4)
        remaining = r.owned(uid)[0].metadata.name
        deleted = r.messages("SuccessfulDelete")
        assert all(m.startswith("Deleted pod: web-") for m in deleted)
        assert f"Deleted pod: {remaining}" not in deleted
        status = r.rs().status
        assert (status.replicas, status.ready_replicas, status.available_replicas) == (1, 1, 1)
        assert status.observed_generation == 3


async def test_rs8_min_ready_seconds_delays_availability_then_resyncs() -> None:
    async with running() as r:
        await r.cluster.client.create(replica_set(replicas=2, min_ready=30))
        await r.until(
            lambda: (rs := r.sets.get("web", "default")) is not None and rs.status.ready_replicas == 2
        )
        assert r.rs().status.available_replicas == 0
        ready_at = max(
            parse_rfc3339(c.last_transition_time or "")
            for p in r.owned(r.rs().metadata.uid)
            for c in p.status.conditions
            if c.type == "Ready"
        )
        await r.until(lambda: r.rs().status.available_replicas == 2)
        assert ready_at + 30 < r.clock.now() <= ready_at + 31, "available after minReadySeconds, not later"


async def test_rs2_orphans_matching_the_selector_are_adopted() -> None:
    async with running() as r:
        orphan = await r.cluster.client.create(bare_pod("orphan"))
        other = await r.cluster.client.create(bare_pod("other", labels={"app": "db"}))
        created = await r.cluster.client.create(replica_set(replicas=2))
        await r.until(lambda: len(r.owned(created.metadata.uid)) == 2)
        await r.until(lambda: r.rs().status.replicas == 2)
        names = [p.metadata.name for p in r.owned(created.metadata.uid)]
        assert "orphan" in names
        adopted = await r.cluster.client.get(Pod, "orphan", "default")
        assert adopted.metadata.uid == orphan.metadata.uid
        ref = adopted.metadata.owner_references
        assert [
            (o.api_version, o.kind, o.name, o.uid, o.controller, o.block_owner_deletion) for o in ref
        ] == [("apps/v1", "ReplicaSet", "web", created.metadata.uid, True, True)]
        assert (await r.cluster.client.get(Pod, "other", "default")).metadata.owner_references == []
        assert other.metadata.owner_references == []
        await r.until(lambda: len(r.messages("SuccessfulCreate")) == 1)


async def test_rs2_a_pod_whose_labels_stop_matching_is_released_and_replaced() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=2))
        uid = created.metadata.uid
        await r.until(lambda: len(r.owned(uid)) == 2)
        leaving = r.owned(uid)[0].metadata.name
        await r.cluster.client.patch(Pod, leaving, {"metadata": {"labels": {"app": "debug"}}}, "default")
        await r.until(
            lambda: len(r.owned(uid)) == 2 and leaving not in [p.metadata.name for p in r.owned(uid)]
        )
        await r.until(
            lambda: (p := r.pods.get(leaving, "default")) is not None and not p.metadata.owner_references
        )
        released = await r.cluster.client.get(Pod, leaving, "default")
        assert released.metadata.owner_references == [] and released.metadata.deletion_timestamp is None
        assert released.metadata.labels == {"app": "debug"}
        await r.until(lambda: r.rs().status.replicas == 2 and len(r.messages("SuccessfulCreate")) == 3)


async def test_rs2_pods_controlled_by_another_owner_are_left_alone() -> None:
    async with running() as r:
        # the other owner must exist, or the garbage collector deletes the pod (GC-3)
        other = await r.cluster.client.create(
            ConfigMap(metadata=ObjectMeta(name="other", namespace="default"))
        )
        foreign_ref = OwnerReference(
            api_version="v1", kind="ConfigMap", name="other", uid=other.metadata.uid, controller=True
        )
        pod = bare_pod("foreign")
        pod.metadata.owner_references = [foreign_ref]
        await r.cluster.client.create(pod)
        created = await r.cluster.client.create(replica_set(replicas=2))
        await r.until(lambda: len(r.owned(created.metadata.uid)) == 2 and r.rs().status.replicas == 2)
        foreign = await r.cluster.client.get(Pod, "foreign", "default")
        assert [o.uid for o in foreign.metadata.owner_references] == [other.metadata.uid]
        assert "foreign" not in [p.metadata.name for p in r.owned(created.metadata.uid)]


async def test_rs2_adoption_rereads_the_owner_live_and_refuses_a_replaced_one() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=0))
        await r.cluster.client.delete(ReplicaSet, "web", "default")
        await r.cluster.client.create(replica_set(replicas=0))
        with pytest.raises(AdoptionRefused) as refused:
            await check_can_adopt(r.cluster.client, created)
        live = await r.cluster.client.get(ReplicaSet, "web", "default")
        assert str(refused.value) == (
            f"original ReplicaSet default/web is gone: got uid {live.metadata.uid}, wanted {created.metadata.uid}"
        )
        await r.cluster.client.patch(
            ReplicaSet, "web", {"metadata": {"finalizers": ["example.com/hold"]}}, "default"
        )
        await r.cluster.client.delete(ReplicaSet, "web", "default")
        deleting = await r.cluster.client.get(ReplicaSet, "web", "default")
        with pytest.raises(AdoptionRefused) as refused:
            await check_can_adopt(r.cluster.client, live)
        assert str(refused.value) == (
            f"ReplicaSet default/web has just been deleted at {deleting.metadata.deletion_timestamp}"
        )
        await r.cluster.client.create(bare_pod("orphan"))
        later = r.clock.now() + 10
        await r.until(lambda: r.clock.now() >= later)
        orphan = await r.cluster.client.get(Pod, "orphan", "default")
        assert orphan.metadata.owner_references == [], "an owner being deleted adopts nothing"


async def test_rs3_a_terminating_pod_is_replaced_at_once() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=2))
        uid = created.metadata.uid
        await r.until(lambda: r.rs().status.ready_replicas == 2 if r.sets.get("web", "default") else False)
        victim = r.owned(uid)[0].metadata.name
        hold = {"metadata": {"finalizers": ["example.com/hold"]}}
        await r.cluster.client.patch(Pod, victim, hold, "default")  # it stays terminating
        await r.cluster.client.delete(Pod, victim, "default")
        await r.until(
            lambda: len(r.owned(uid)) == 2 and victim not in [p.metadata.name for p in r.owned(uid)]
        )
        terminating = await r.cluster.client.get(Pod, victim, "default")
        assert terminating.metadata.deletion_timestamp is not None
        await r.until(lambda: r.rs().status.replicas == 2 and len(r.messages("SuccessfulCreate")) == 3)


async def test_rs9_a_replica_set_being_deleted_only_updates_status() -> None:
    async with running() as r:
        rs = replica_set(replicas=2)
        rs.metadata.finalizers = ["example.com/hold"]
        created = await r.cluster.client.create(rs)
        uid = created.metadata.uid
        await r.until(lambda: r.rs().status.replicas == 2 if r.sets.get("web", "default") else False)
        await r.cluster.client.delete(ReplicaSet, "web", "default")
        await r.until(lambda: r.rs().metadata.deletion_timestamp is not None)
        victim = r.owned(uid)[0].metadata.name
        await r.cluster.client.delete(Pod, victim, "default", options=DeleteOptions(grace_period_seconds=0))
        await r.until(lambda: r.rs().status.replicas == 1)
        later = r.clock.now() + 30
        await r.until(lambda: r.clock.now() >= later)
        assert len(r.owned(uid)) == 1 and r.rs().status.replicas == 1
        assert len(r.messages("SuccessfulCreate")) == 2


async def test_rs11_replication_controller_runs_the_same_algorithm_with_its_own_reference() -> None:
    async with running() as r:
        rc = ReplicationController(
            metadata=ObjectMeta(name="legacy", namespace="default"),
            spec=ReplicationControllerSpec(replicas=3, template=template({"app": "legacy"})),
        )
        created = await r.cluster.client.create(rc)
        assert created.spec.selector == {"app": "legacy"}, "RS-11: an empty selector defaults to the labels"
        uid = created.metadata.uid

        def status() -> tuple[int, int]:
            found = r.rcs.get("legacy", "default")
            return (found.status.replicas, found.status.ready_replicas) if found else (0, 0)

        await r.until(lambda: status() == (3, 3))
        for pod in r.owned(uid):
            assert pod.metadata.generate_name == "legacy-"
            ref = pod.metadata.owner_references[0]
            assert (ref.api_version, ref.kind, ref.name, ref.controller) == (
                "v1",
                "ReplicationController",
                "legacy",
                True,
            )
        await r.cluster.client.patch(ReplicationController, "legacy", {"spec": {"replicas": 1}}, "default")
        await r.until(lambda: status() == (1, 1) and len(r.owned(uid)) == 1)
        events = [e for e in r.events.list("default") if e.involved_object.uid == uid]
        assert {e.source.component for e in events} == {"replication-controller"}
        assert sorted({e.reason for e in events}) == ["SuccessfulCreate", "SuccessfulDelete"]


async def test_rs5_rs6_scale_down_deletes_the_lowest_deletion_cost_first() -> None:
    async with running() as r:
        created = await r.cluster.client.create(replica_set(replicas=3))
        uid = created.metadata.uid
        await r.until(lambda: r.rs().status.ready_replicas == 3 if r.sets.get("web", "default") else False)
        names = [p.metadata.name for p in r.owned(uid)]
        costs = {names[0]: "100", names[1]: "-100", names[2]: "0"}
        for name, cost in costs.items():
            patch = {"metadata": {"annotations": {"controller.kubernetes.io/pod-deletion-cost": cost}}}
            await r.cluster.client.patch(Pod, name, patch, "default")
        await r.until(
            lambda: all((p := r.pods.get(n, "default")) is not None and p.metadata.annotations for n in names)
        )
        await _scale(r.cluster.client, r.rs(), 1)
        await r.until(lambda: len(r.owned(uid)) == 1 and r.rs().status.replicas == 1)
        assert [p.metadata.name for p in r.owned(uid)] == [names[0]]
        await r.until(lambda: len(r.messages("SuccessfulDelete")) == 2)
        assert r.messages("SuccessfulDelete") == sorted(f"Deleted pod: {n}" for n in names[1:])


async def test_rs2_adoption_patch_refuses_a_same_named_replacement_pod() -> None:
    async with running() as r:
        owner = await r.cluster.client.create(replica_set(replicas=0))
        stale = await r.cluster.client.create(bare_pod("twin", labels={"app": "unrelated"}))
        await r.cluster.client.delete(Pod, "twin", "default", options=DeleteOptions(grace_period_seconds=0))
        await r.cluster.client.create(bare_pod("twin", labels={"app": "unrelated"}))
        with pytest.raises(Invalid) as refused:
            await adopt(r.cluster.client, owner, stale)
        assert refused.value.message == (
            f'Pod "twin" is invalid: metadata.uid: Invalid value: "{stale.metadata.uid}": field is immutable'
        )
        assert (await r.cluster.client.get(Pod, "twin", "default")).metadata.owner_references == []
