"""The Endpoints controller on a real apiserver (pod status written directly, no kubelet):
readiness and membership (EP-1..EP-4), selector-less Services (EP-1), no write without a change
(EP-9), and the edges: a relabelled pod, a Service deleted and recreated, a pod deleted, a
restart, store faults on the write, a competing writer, a lagging cache and huge label sets."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import (
    EndpointAddress,
    Endpoints,
    EndpointSubset,
    Namespace,
    ObjectReference,
    Pod,
    Service,
    ServicePort,
)
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.controllers.endpoint import EndpointsSettings
from kubelite.store.batch import Batch
from kubelite.store.interface import TransientStorageError
from kubelite.store.memory import MemoryStorage
from tests.controllers.lagging import LaggingClient

from .harness import alone
from .support import pod, ready_condition, service

pytestmark = pytest.mark.anyio


def _web() -> Service:
    svc = service(ports=[ServicePort(port=80, target_port=8080)], labels={"team": "a"})
    svc.metadata.uid = ""
    svc.metadata.creation_timestamp = None
    svc.spec.cluster_ip = ""
    return svc


def _addr(name: str, ip: str, uid: str) -> EndpointAddress:
    ref = ObjectReference(kind="Pod", namespace="default", name=name, uid=uid)
    return EndpointAddress(ip=ip, node_name="node-1", target_ref=ref)


async def test_ep1_ep2_ep3_endpoints_follow_readiness_membership_and_the_services_life() -> None:
    """EP-1..EP-3: the Endpoints named after the Service lists ready pods in addresses and the
    others in notReadyAddresses, only pods of its namespace matching its selector; a flip moves a
    pod, a deleted pod leaves, and the Endpoints is deleted with the Service."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller():
        await a.client.create(Namespace(metadata=ObjectMeta(name="other")))
        svc = await a.client.create(_web())
        ready = await a.put_pod(pod("a", "10.0.0.1"))
        slow = await a.put_pod(pod("b", "10.0.0.2", ready=False))
        await a.put_pod(pod("c", "10.0.0.3", labels={"app": "db"}))
        await a.put_pod(pod("d", "10.0.0.4", namespace="other"))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], ["10.0.0.2"], [8080])])
        endpoints = a.endpoints.get("web", "default")
        assert endpoints is not None
        assert endpoints.metadata.labels == {"team": "a"}
        assert endpoints.subsets == [
            EndpointSubset(
                addresses=[_addr("a", "10.0.0.1", ready.metadata.uid)],
                not_ready_addresses=[_addr("b", "10.0.0.2", slow.metadata.uid)],
                ports=[
                    msgspec.convert({"port": 8080, "protocol": "TCP"}, type(endpoints.subsets[0].ports[0]))
                ],
            )
        ]
        assert "endpoints.kubernetes.io/last-change-trigger-time" in endpoints.metadata.annotations
        await a.set_status(slow, msgspec.structs.replace(slow.status, conditions=[ready_condition(True)]))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1", "10.0.0.2"], [], [8080])])
        await a.client.delete(Pod, "a", "default")
        await a.until(lambda: a.subsets_of() == [(["10.0.0.2"], [], [8080])])
        await a.client.delete(Service, svc.metadata.name, "default")
        await a.until(lambda: a.endpoints.get("web", "default") is None)


async def test_ep1_endpoints_of_selectorless_and_external_name_services_are_never_touched() -> None:
    """EP-1: a selector-less Service's hand-made Endpoints keeps its resourceVersion and content
    through pod churn; an ExternalName Service gets no Endpoints even with a selector."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller() as running:
        manual = _web()
        manual.metadata.name, manual.spec.selector = "manual", {}
        await a.client.create(manual)
        mine = Endpoints(
            metadata=ObjectMeta(name="manual", namespace="default"),
            subsets=[EndpointSubset(addresses=[EndpointAddress(ip="192.0.2.1")])],
        )
        mine = await a.client.create(mine)
        external = _web()
        external.metadata.name, external.spec.type, external.spec.external_name = (
            "ext",
            "ExternalName",
            "db.example.com",
        )
        external.spec.ports = []
        await a.client.create(external)
        await a.client.create(_web())
        await a.put_pod(pod("a", "10.0.0.1"))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
        manual_live = await a.client.get(Service, "manual", "default")
        await a.client.update(
            msgspec.structs.replace(
                manual_live, metadata=msgspec.structs.replace(manual_live.metadata, annotations={"x": "1"})
            )
        )
        await a.quiet(running)
        assert await a.client.get(Endpoints, "manual", "default") == mine
        assert a.endpoints.get("ext", "default") is None


async def test_ep9_irrelevant_pod_and_service_updates_write_nothing() -> None:
    """EP-9: a sync that finds the same subsets and labels writes nothing (resourceVersion
    unchanged), after a pod annotation change and after a Service change that forces a sync."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller() as running:
        svc = await a.client.create(_web())
        member = await a.put_pod(pod("a", "10.0.0.1"))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
        before = await a.client.get(Endpoints, "web", "default")
        syncs = await a.quiet(running)
        member.metadata.annotations = {"touched": "yes"}
        await a.client.update(member)
        svc = await a.client.get(Service, "web", "default")
        svc.metadata.annotations = {"touched": "yes"}
        await a.client.update(svc)
        assert await a.quiet(running) > syncs
        assert await a.client.get(Endpoints, "web", "default") == before
        svc.metadata.labels = {"team": "b"}
        svc.metadata.resource_version = ""
        await a.client.update(svc)
        await a.until(
            lambda: (
                (e := a.endpoints.get("web", "default")) is not None and e.metadata.labels == {"team": "b"}
            )
        )


async def test_a_relabelled_pod_leaves_its_old_service_and_joins_the_new_one() -> None:
    """EP-2 on label change: both the Service the pod left and the one it joined are synced."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller():
        for color in ("blue", "green"):
            svc = _web()
            svc.metadata.name, svc.spec.selector = color, {"color": color}
            await a.client.create(svc)
        member = await a.put_pod(pod("p", "10.0.0.1", labels={"color": "blue"}))
        await a.until(lambda: a.subsets_of("blue") == [(["10.0.0.1"], [], [8080])])
        member = await a.client.get(Pod, "p", "default")
        member.metadata.labels = {"color": "green"}
        await a.client.update(member)
        await a.until(
            lambda: a.subsets_of("blue") == [] and a.subsets_of("green") == [(["10.0.0.1"], [], [8080])]
        )
        blue = a.endpoints.get("blue", "default")
        assert blue is not None and blue.subsets == []


async def test_a_service_deleted_and_recreated_with_the_same_name_gets_its_own_endpoints() -> None:
    """EP-1: the recreated Service (another selector) ends with Endpoints of its own pods."""
    async with MemoryStorage() as storage, alone(storage) as a, a.controller():
        await a.client.create(_web())
        await a.put_pod(pod("a", "10.0.0.1"))
        await a.put_pod(pod("b", "10.0.0.2", labels={"app": "web2"}))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
        await a.client.delete(Service, "web", "default")
        again = _web()
        again.spec.selector = {"app": "web2"}
        await a.client.create(again)
        await a.until(lambda: a.subsets_of() == [(["10.0.0.2"], [], [8080])])


async def test_a_restarted_controller_rewrites_nothing_and_deletes_endpoints_left_behind() -> None:
    """EP-1, EP-9 across a restart: Endpoints of a Service deleted while the controller was down
    are deleted once it is back (leader-election records excepted); unchanged ones are not
    rewritten."""
    async with MemoryStorage() as storage, alone(storage) as a:
        async with a.controller():
            await a.client.create(_web())
            old = _web()
            old.metadata.name = "old"
            await a.client.create(old)
            await a.put_pod(pod("a", "10.0.0.1"))
            await a.until(lambda: len(a.subsets_of("old")) == 1 and len(a.subsets_of()) == 1)
        await a.client.delete(Service, "old", "default")
        lock = Endpoints(
            metadata=ObjectMeta(
                name="lock",
                namespace="default",
                annotations={"control-plane.alpha.kubernetes.io/leader": "{}"},
            )
        )
        await a.client.create(lock)
        before = await a.client.get(Endpoints, "web", "default")
        async with a.controller() as running:
            await a.until(lambda: a.endpoints.get("old", "default") is None)
            await a.quiet(running)
            assert await a.client.get(Endpoints, "web", "default") == before
            assert a.endpoints.get("lock", "default") is not None


async def test_a_create_refused_in_a_terminating_namespace_is_dropped_quietly() -> None:
    """As upstream: a Forbidden create with the NamespaceTerminating cause ends the sync with no
    Warning event and no retry."""
    async with MemoryStorage() as storage, alone(storage) as a:
        await a.client.create(Namespace(metadata=ObjectMeta(name="dying")))
        svc = _web()
        svc.metadata.namespace = "dying"
        await a.client.create(svc)
        await a.client.delete(Namespace, "dying")
        async with a.controller() as running:
            await a.until(lambda: running.syncs() >= 1)
            assert await a.quiet(running) == 1
            assert a.endpoints.get("web", "dying") is None
            assert a.events.list("dying") == []


class FaultyStorage(MemoryStorage):
    """A memory store whose next `faults` commits of batches writing only `kind` (a resource)
    fail with a transient I/O error, as SQLite's would (no other writer's request fails with
    them)."""

    def __init__(self, kind: str = "endpoints") -> None:
        super().__init__()
        self.kind = kind
        self.faults = 0
        self.failed = 0

    async def _persist(self, batch: Batch) -> None:
        if self.faults and all(event.key[0] == self.kind for event in batch.events):
            self.faults -= 1
            self.failed += 1
            raise TransientStorageError("disk I/O error (SQLITE_IOERR_WRITE)")


async def test_a_store_fault_on_the_write_is_reported_and_retried() -> None:
    """A failed create and a failed update each record upstream's Warning event and are
    retried until the Endpoints is right."""
    async with FaultyStorage() as storage, alone(storage) as a:
        async with a.controller() as running:
            member = await a.put_pod(pod("a", "10.0.0.1", ready=False))
            await a.quiet(running)
            storage.faults = 2
            await a.client.create(_web())
            await a.until(lambda: a.subsets_of() == [([], ["10.0.0.1"], [8080])])
            assert storage.failed == 2
            storage.faults = 1
            await a.set_status(
                member, msgspec.structs.replace(member.status, conditions=[ready_condition(True)])
            )
            await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
            assert storage.failed == 3
            await a.until(lambda: len({e.reason for e in a.events.list("default")}) == 2)
        why = "Internal error occurred: the write was not committed: disk I/O error (SQLITE_IOERR_WRITE)"
        events = {e.reason: e for e in a.events.list("default")}
        created, updated = events["FailedToCreateEndpoint"], events["FailedToUpdateEndpoint"]
        assert (created.type, created.message, created.count) == (
            "Warning",
            f"Failed to create endpoint for service default/web: {why}",
            2,
        )
        assert (updated.type, updated.message, updated.count) == (
            "Warning",
            f"Failed to update endpoint default/web: {why}",
            1,
        )
        assert created.involved_object.kind == updated.involved_object.kind == "Endpoints"


class RacingClient(InProcessClient):
    """Before the controller's first Endpoints update, another writer updates it first."""

    def __init__(self, server: APIServer) -> None:
        super().__init__(server)
        self.raced = False

    async def update(self, obj, *, dry_run: bool = False):  # type: ignore[no-untyped-def]
        if isinstance(obj, Endpoints) and not self.raced:
            self.raced = True
            theirs = await super().get(Endpoints, obj.metadata.name, obj.metadata.namespace)
            theirs.subsets = [EndpointSubset(addresses=[EndpointAddress(ip="192.0.2.9")])]
            await super().update(theirs)
        return await super().update(obj, dry_run=dry_run)


async def test_a_competing_writer_makes_the_update_conflict_and_the_retry_wins() -> None:
    """Two writers: the controller's update from a stale read is refused (409) and retried from
    the newer state, ending with the pods' addresses; a conflict records no Warning event."""
    async with MemoryStorage() as storage, alone(storage, RacingClient) as a, a.controller():
        await a.client.create(_web())
        member = await a.put_pod(pod("a", "10.0.0.1", ready=False))
        await a.until(lambda: a.subsets_of() == [([], ["10.0.0.1"], [8080])])
        await a.set_status(member, msgspec.structs.replace(member.status, conditions=[ready_condition(True)]))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
        assert isinstance(a.client, RacingClient) and a.client.raced
        assert a.events.list("default") == []


async def test_a_lagging_cache_still_converges_without_failures() -> None:
    """Late, duplicated Pod, Service and Endpoints events: readiness flips of 6 pods end in the
    right Endpoints, with no Warning event."""
    async with MemoryStorage(history=10_000) as storage, alone(storage) as a:
        lagging = LaggingClient(a.server, a.clock, seed=7, kinds=(Pod, Service, Endpoints))
        async with a.controller(client=lagging):
            await a.client.create(_web())
            members = [await a.put_pod(pod(f"p{i}", f"10.0.0.{i}", ready=False)) for i in range(6)]
            for member in members[::2]:
                await a.set_status(
                    member, msgspec.structs.replace(member.status, conditions=[ready_condition(True)])
                )
            await a.until(
                lambda: (
                    a.subsets_of()
                    == [(["10.0.0.0", "10.0.0.2", "10.0.0.4"], ["10.0.0.1", "10.0.0.3", "10.0.0.5"], [8080])]
                )
            )
            assert a.events.list("default") == []


async def test_huge_label_sets_on_pods_and_services() -> None:
    """A Service selecting on 300 labels out of pods' 2,000, with 1,000 labels of its own that the
    Endpoints copies."""
    labels = {f"k{i}.example.com/l{i}": f"v{i}" for i in range(2000)}
    async with MemoryStorage() as storage, alone(storage) as a, a.controller():
        svc = _web()
        svc.spec.selector = dict(list(labels.items())[:300])
        svc.metadata.labels = {f"own{i}": "x" for i in range(1000)}
        await a.client.create(svc)
        await a.put_pod(pod("a", "10.0.0.1", labels=labels))
        await a.put_pod(pod("b", "10.0.0.2", labels={**labels, "k7.example.com/l7": "other"}))
        await a.until(lambda: a.subsets_of() == [(["10.0.0.1"], [], [8080])])
        endpoints = a.endpoints.get("web", "default")
        assert endpoints is not None and endpoints.metadata.labels == svc.metadata.labels


async def test_a_batch_period_turns_a_burst_of_pod_changes_into_one_sync() -> None:
    """With `batch_period` (upstream's --endpoint-updates-batch-period), three readiness flips
    within the period make one sync and one write, once the period has passed."""
    settings = EndpointsSettings(batch_period=5)
    async with MemoryStorage() as storage, alone(storage) as a, a.controller(settings=settings) as running:
        await a.client.create(_web())
        members = [await a.put_pod(pod(f"p{i}", f"10.0.0.{i}")) for i in range(3)]
        await a.until(lambda: a.subsets_of() == [(["10.0.0.0", "10.0.0.1", "10.0.0.2"], [], [8080])])
        syncs = await a.quiet(running)
        before = a.clock.monotonic()
        for member in members:
            flipped = msgspec.structs.replace(member.status, conditions=[ready_condition(False)])
            await a.set_status(member, flipped)
        await a.until(lambda: a.subsets_of() == [([], ["10.0.0.0", "10.0.0.1", "10.0.0.2"], [8080])])
        assert a.clock.monotonic() - before >= 5 - 1e-6  # float sums of clock steps are not exact
        assert await a.quiet(running) == syncs + 1
