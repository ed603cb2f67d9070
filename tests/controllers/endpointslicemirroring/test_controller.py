"""The EndpointSliceMirroring controller on a real apiserver: a selector-less Service's hand-made
Endpoints mirrored into one slice (EP-11 mirroring, EP-1), no rewrite when nothing changed, the
slice following the Endpoints, a slice someone else deletes restored, a restart, and every way
mirroring stops applying (skip-mirror, a selector, the Service or the Endpoints deleted)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import Endpoints, Service
from kubelite.api.discovery import EndpointSlice
from kubelite.controllers.endpointslicemirroring import EndpointSliceMirroringController
from kubelite.controllers.runtime import Manager
from kubelite.store.memory import MemoryStorage
from tests.controllers.endpoint.harness import Alone, alone
from tests.controllers.endpointslicemirroring.support import endpoints, selectorless, subset

pytestmark = pytest.mark.anyio
NAME = "endpointslicemirroring"


@dataclass
class Mirroring:
    manager: Manager

    def busy(self) -> bool:
        active = self.manager.registry.get_sample_value(
            "controller_runtime_active_workers", {"controller": NAME}
        )
        queue = next(c.queue for c in self.manager.controllers if c.name == NAME)
        return len(queue) > 0 or bool(active)  # type: ignore[arg-type]


@asynccontextmanager
async def mirroring(a: Alone) -> AsyncIterator[Mirroring]:
    manager = Manager(a.client, clock=a.clock)
    EndpointSliceMirroringController(manager, a.client)
    async with anyio.create_task_group() as group:
        await group.start(manager.run)
        yield Mirroring(manager)
        group.cancel_scope.cancel()


async def quiet(a: Alone, running: Mirroring) -> None:
    await anyio.lowlevel.checkpoint()
    await a.until(lambda: not running.busy())


def mirrored(a: Alone) -> list[EndpointSlice]:
    return [
        s for s in a.slices.list("default") if s.metadata.labels.get("kubernetes.io/service-name") == "manual"
    ]


def rows(a: Alone) -> list[tuple[str, bool]]:
    return sorted((e.addresses[0], bool(e.conditions.ready)) for s in mirrored(a) for e in s.endpoints)


async def _update_endpoints(a: Alone, change: Callable[[Endpoints], None]) -> None:
    current = await a.client.get(Endpoints, "manual", "default")
    change(current)
    await a.client.update(current)


async def _update_service(a: Alone, change: Callable[[Service], None]) -> None:
    current = await a.client.get(Service, "manual", "default")
    change(current)
    await a.client.update(current)


async def test_ep11_ep1_selectorless_service_endpoints_are_mirrored() -> None:
    """EP-11 mirroring / EP-1: Service `manual` without selector plus Endpoints `manual` at
    192.0.2.42:9376 → one slice `manual-xxxxx` labelled service-name=manual and managed-by the
    mirroring controller, owned by the Endpoints, IPv4, ready=true (not-ready ones false); a
    forced sync writes nothing; a change to the Endpoints follows into the same slice."""
    async with MemoryStorage() as storage, alone(storage) as a, mirroring(a) as running:
        await a.client.create(selectorless())
        source = endpoints(
            subset(["192.0.2.42"], ["192.0.2.43"]),
            annotations={"kubectl.kubernetes.io/last-applied-configuration": "{}", "note": "n"},
            labels={"team": "a"},
        )
        created = await a.client.create(source)
        await a.until(lambda: rows(a) == [("192.0.2.42", True), ("192.0.2.43", False)])
        (endpoint_slice,) = mirrored(a)
        meta = endpoint_slice.metadata
        assert meta.name.startswith("manual-") and len(meta.name) == len("manual-") + 5
        assert meta.labels == {
            "team": "a",
            "kubernetes.io/service-name": "manual",
            "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
        }
        assert meta.annotations == {"note": "n"}
        (owner,) = meta.owner_references
        assert (owner.kind, owner.name, owner.uid, owner.controller) == (
            "Endpoints",
            "manual",
            created.metadata.uid,
            True,
        )
        assert endpoint_slice.address_type == "IPv4"
        assert [(p.port, p.protocol) for p in endpoint_slice.ports] == [(9376, "TCP")]
        await quiet(a, running)
        await _update_service(a, lambda s: s.metadata.annotations.update(touched="yes"))
        await quiet(a, running)
        assert [s.metadata.resource_version for s in mirrored(a)] == [meta.resource_version]
        await _update_endpoints(
            a, lambda e: e.subsets[0].addresses.append(subset(["192.0.2.44"]).addresses[0])
        )
        await a.until(lambda: ("192.0.2.44", True) in rows(a))
        assert [s.metadata.name for s in mirrored(a)] == [meta.name]


async def test_ep11_deleted_slice_is_restored_and_restart_writes_nothing() -> None:
    """EP-11 mirroring: a mirrored slice someone deletes comes back; a restarted controller over
    an unchanged state writes nothing."""
    async with MemoryStorage() as storage, alone(storage) as a:
        async with mirroring(a) as running:
            await a.client.create(selectorless())
            await a.client.create(endpoints(subset(["192.0.2.42"])))
            await a.until(lambda: len(mirrored(a)) == 1)
            await a.client.delete(EndpointSlice, mirrored(a)[0].metadata.name, "default")
            await a.until(lambda: rows(a) == [("192.0.2.42", True)])
            await quiet(a, running)
        before = [(s.metadata.name, s.metadata.resource_version) for s in mirrored(a)]
        async with mirroring(a) as running:
            await quiet(a, running)
            assert [(s.metadata.name, s.metadata.resource_version) for s in mirrored(a)] == before


Stop = Callable[[Alone], Coroutine[Any, Any, None]]


async def _skip_mirror(a: Alone) -> None:
    await _update_endpoints(
        a, lambda e: e.metadata.labels.update({"endpointslice.kubernetes.io/skip-mirror": "true"})
    )


async def _selector(a: Alone) -> None:
    await _update_service(a, lambda s: setattr(s.spec, "selector", {"app": "web"}))


async def _delete_service(a: Alone) -> None:
    await a.client.delete(Service, "manual", "default")


async def _delete_endpoints(a: Alone) -> None:
    await a.client.delete(Endpoints, "manual", "default")


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(_skip_mirror, id="skip-mirror-added"),
        pytest.param(_selector, id="selector-added-EP-1"),
        pytest.param(_delete_service, id="service-deleted"),
        pytest.param(_delete_endpoints, id="endpoints-deleted"),
    ],
)
async def test_ep11_slices_deleted_when_mirroring_stops(stop: Stop) -> None:
    """EP-11 mirroring: the mirrored slices are deleted once mirroring no longer applies (the
    garbage collector is not running here: the controller itself deletes them)."""
    async with MemoryStorage() as storage, alone(storage) as a, mirroring(a) as running:
        await a.client.create(selectorless())
        await a.client.create(endpoints(subset(["192.0.2.42"])))
        await a.until(lambda: len(mirrored(a)) == 1)
        await stop(a)
        await a.until(lambda: not mirrored(a))
        await quiet(a, running)
        assert not mirrored(a)


async def test_ep11_endpoints_without_service_or_with_skip_mirror_get_no_slices() -> None:
    """EP-11 mirroring: Endpoints without a Service, or labelled skip-mirror=true, are not
    mirrored; a Service created later starts the mirroring."""
    async with MemoryStorage() as storage, alone(storage) as a, mirroring(a) as running:
        await a.client.create(endpoints(subset(["192.0.2.42"])))
        skipped = endpoints(subset(["192.0.2.9"]), name="skipped")
        skipped.metadata.labels = {"endpointslice.kubernetes.io/skip-mirror": "true"}
        await a.client.create(skipped)
        await a.client.create(selectorless("skipped"))
        await quiet(a, running)
        assert a.slices.list("default") == []
        await a.client.create(selectorless())
        await a.until(lambda: rows(a) == [("192.0.2.42", True)])
        await quiet(a, running)
        assert [s.metadata.labels["kubernetes.io/service-name"] for s in a.slices.list("default")] == [
            "manual"
        ]
