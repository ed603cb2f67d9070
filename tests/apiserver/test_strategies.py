"""Kind rules live in per-kind strategies (issue 9 item 3).

Namespaces: `spec.finalizers` changes only through `finalize`, so a DELETE cannot strand contents.
Subresources: `status` of a kind without one is a 404. Generation: kinds whose Kubernetes strategy
does not track it (Lease, ConfigMap, Node, Service, Namespace, …) keep 0 (API-3 applies to the
workload kinds). A plugin kind brings its own strategy; without one it gets the generic strategy.
"""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.coordination import Lease, LeaseSpec
from kubelite.api.core import ConfigMap, Namespace, NamespaceSpec, Node, Service, ServicePort, ServiceSpec
from kubelite.api.discovery import Endpoint, EndpointSlice
from kubelite.api.errors import FieldError, Forbidden, Invalid, NotFound, invalid
from kubelite.api.meta import Object, ObjectMeta, Status
from kubelite.api.registry import ResourceInfo, builtin_registry
from kubelite.apiserver import APIServer, Strategy
from kubelite.apiserver.strategies.base import ScaleView
from kubelite.store.memory import MemoryStorage

from .conftest import node

pytestmark = pytest.mark.anyio
MERGE = "application/merge-patch+json"
NOT_FOUND = "the server could not find the requested resource"


async def _namespace(server: APIServer, name: str = "team") -> Namespace:
    created = await server.create(Namespace, Namespace(metadata=ObjectMeta(name=name)))
    assert isinstance(created, Namespace) and created.spec.finalizers == ["kubernetes"]
    return created


async def test_gc8_plain_update_keeps_namespace_finalizers(server: APIServer) -> None:
    created = await _namespace(server)
    created.spec.finalizers = []
    created.metadata.labels = {"tier": "x"}
    updated = await server.update(Namespace, created, "team")
    assert isinstance(updated, Namespace)
    assert updated.spec.finalizers == ["kubernetes"]
    assert updated.metadata.labels["tier"] == "x", "the rest of the write applies"
    patched = await server.patch(Namespace, "team", {"spec": {"finalizers": None}}, MERGE)
    assert isinstance(patched, Namespace) and patched.spec.finalizers == ["kubernetes"]


async def test_gc8_namespace_delete_cannot_strand_its_contents(server: APIServer) -> None:
    """Today's bug: an update cleared spec.finalizers, then DELETE removed the namespace at once."""
    created = await _namespace(server)
    await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="cfg")), "team")
    created.spec.finalizers = []
    await server.update(Namespace, created, "team")
    kept = await server.delete(Namespace, "team")
    assert isinstance(kept, Namespace)
    assert kept.status.phase == "Terminating" and kept.spec.finalizers == ["kubernetes"]
    again = await server.delete(Namespace, "team")
    assert isinstance(again, Namespace)
    assert again.metadata.resource_version == kept.metadata.resource_version, "nothing written"
    with pytest.raises(Forbidden, match="unable to create new content in namespace team"):
        await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="late")), "team")
    await server.get(ConfigMap, "cfg", "team")


async def test_gc8_finalize_removes_a_terminating_namespace(server: APIServer) -> None:
    await _namespace(server)
    await server.delete(Namespace, "team")
    current = await server.get(Namespace, "team")
    assert isinstance(current, Namespace)
    current.spec = NamespaceSpec(finalizers=[])
    await server.finalize_namespace("team", current)
    with pytest.raises(NotFound):
        await server.get(Namespace, "team")


async def test_finalize_of_a_live_namespace_changes_only_its_finalizers(server: APIServer) -> None:
    created = await _namespace(server)
    created.spec.finalizers = []
    created.status.phase = "Terminating"
    finalized = await server.finalize_namespace("team", created)
    assert finalized.spec.finalizers == []
    assert finalized.status.phase == "Active", "finalize keeps the stored status"
    await server.get(Namespace, "team")


async def test_finalize_is_a_namespace_subresource_only(server: APIServer) -> None:
    cm = await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="cfg")), "default")
    with pytest.raises(NotFound, match=NOT_FOUND):
        await server.update(ConfigMap, cm, "cfg", "default", subresource="finalize")
    assert "finalize" in server.registry.by_type(Namespace).subresources, "discovery lists it"


@pytest.mark.parametrize("verb", ["update", "patch"])
async def test_status_of_a_kind_without_status_is_404(server: APIServer, verb: str) -> None:
    """Today `configmaps/x/status` rewrote the ConfigMap's data."""
    sent = ConfigMap(metadata=ObjectMeta(name="cfg"), data={"k": "v"})
    created = await server.create(ConfigMap, sent, "default")
    changed = ConfigMap(metadata=ObjectMeta(name="cfg"), data={"k": "rewritten"})
    with pytest.raises(NotFound, match=NOT_FOUND) as caught:
        if verb == "update":
            await server.update(ConfigMap, changed, "cfg", "default", subresource="status")
        else:
            await server.patch(ConfigMap, "cfg", {"data": {"k": "x"}}, MERGE, "default", subresource="status")
    assert (caught.value.status.code, caught.value.status.reason) == (404, "NotFound")
    stored = await server.get(ConfigMap, "cfg", "default")
    assert stored == created


async def test_api3_lease_renewals_leave_generation_alone(server: APIServer) -> None:
    lease = Lease(metadata=ObjectMeta(name="node1"), spec=LeaseSpec(holder_identity="node1"))
    created = await server.create(Lease, lease, "kube-node-lease")
    assert created.metadata.generation == 0
    for renewal in ("2026-01-01T00:00:10Z", "2026-01-01T00:00:20Z"):
        current = await server.get(Lease, "node1", "kube-node-lease")
        assert isinstance(current, Lease)
        current.spec.renew_time = renewal
        renewed = await server.update(Lease, current, "node1", "kube-node-lease")
        assert renewed.metadata.generation == 0
        assert renewed.metadata.resource_version != current.metadata.resource_version


def _changes() -> list[tuple[type[Object], Object, dict[str, object], str]]:
    return [
        (ConfigMap, ConfigMap(metadata=ObjectMeta(name="x")), {"data": {"k": "v"}}, "default"),
        (Node, node("x"), {"spec": {"unschedulable": True}}, ""),
        (
            Service,
            Service(metadata=ObjectMeta(name="x"), spec=ServiceSpec(ports=[ServicePort(port=80)])),
            {"spec": {"type": "NodePort"}},
            "default",
        ),
        (Namespace, Namespace(metadata=ObjectMeta(name="x")), {"metadata": {"labels": {"a": "b"}}}, ""),
    ]


@pytest.mark.parametrize(
    ("kind", "obj", "change", "namespace"), _changes(), ids=lambda v: getattr(v, "__name__", None)
)
async def test_api3_kinds_without_generation_keep_zero(
    server: APIServer, kind: type[Object], obj: Object, change: dict[str, object], namespace: str
) -> None:
    created = await server.create(kind, obj, namespace)
    assert created.metadata.generation == 0
    changed = await server.patch(kind, "x", change, MERGE, namespace)
    assert changed.metadata.resource_version != created.metadata.resource_version
    assert changed.metadata.generation == 0


async def test_endpointslice_generation_follows_content_and_labels(server: APIServer) -> None:
    """Kubernetes' EndpointSlice strategy: generation 1, +1 on content or label changes only."""
    eps = EndpointSlice(metadata=ObjectMeta(name="web-abc"), address_type="IPv4")
    assert (await server.create(EndpointSlice, eps, "default")).metadata.generation == 1
    body = {"endpoints": [{"addresses": ["10.0.0.1"]}]}
    assert (await server.patch(EndpointSlice, "web-abc", body, MERGE, "default")).metadata.generation == 2
    labelled = {"metadata": {"labels": {"app": "web"}}}
    assert (await server.patch(EndpointSlice, "web-abc", labelled, MERGE, "default")).metadata.generation == 3
    noted = {"metadata": {"annotations": {"note": "x"}}}
    assert (await server.patch(EndpointSlice, "web-abc", noted, MERGE, "default")).metadata.generation == 3
    stored = await server.get(EndpointSlice, "web-abc", "default")
    assert isinstance(stored, EndpointSlice) and stored.endpoints == [Endpoint(addresses=["10.0.0.1"])]


class GadgetSpec(msgspec.Struct, omit_defaults=True, rename="camel", kw_only=True):
    size: int = 0


class GadgetStatus(msgspec.Struct, omit_defaults=True, rename="camel", kw_only=True):
    ready: bool = False


class Gadget(Object):
    api_version: str = msgspec.field(default_factory=lambda: "example.com/v1")
    spec: GadgetSpec = msgspec.field(default_factory=GadgetSpec)
    status: GadgetStatus = msgspec.field(default_factory=GadgetStatus)


GADGETS = ResourceInfo(
    group="example.com",
    version="v1",
    kind="Gadget",
    plural="gadgets",
    singular="gadget",
    type=Gadget,
    subresources=("status", "scale"),
)


class GadgetStrategy(Strategy):
    """A plugin's rules: sizes must be even, sizes are stored rounded to tens, `keep` is undeletable."""

    def __init__(self) -> None:
        super().__init__(status_subresource=True)

    def validate(self, obj: Object) -> list[FieldError]:
        assert isinstance(obj, Gadget)
        return [invalid(obj.spec.size, "spec.size", "must be even")] if obj.spec.size % 2 else []

    def validate_update(self, new: Object, old: Object) -> list[FieldError]:
        return self.validate(new)

    def canonicalize(self, obj: Object) -> None:
        assert isinstance(obj, Gadget)
        obj.spec.size = round(obj.spec.size, -1)

    def check_delete(self, name: str) -> None:
        if name == "keep":
            raise Forbidden(f'gadgets.example.com "{name}" is forbidden: kept')

    def scale_of(self, obj: Object) -> ScaleView:
        assert isinstance(obj, Gadget)
        return ScaleView(obj.spec.size, 1 if obj.status.ready else 0, "kind=gadget")

    def set_replicas(self, obj: Object, replicas: int) -> None:
        assert isinstance(obj, Gadget)
        obj.spec.size = replicas


async def _plugin_server(strategy: Strategy | None) -> tuple[MemoryStorage, APIServer]:
    registry = builtin_registry()
    registry.register(GADGETS)
    storage = MemoryStorage()
    custom = {("example.com", "Gadget"): strategy} if strategy is not None else None
    server = APIServer(storage, registry=registry, strategies=custom)
    return storage, server


async def test_plugin_kind_brings_its_own_strategy() -> None:
    storage, server = await _plugin_server(GadgetStrategy())
    async with storage:
        await server.bootstrap()
        with pytest.raises(Invalid, match=r"spec\.size: Invalid value: 3: must be even"):
            await server.create(
                GADGETS, Gadget(metadata=ObjectMeta(name="g"), spec=GadgetSpec(size=3)), "default"
            )
        created = await server.create(
            GADGETS, Gadget(metadata=ObjectMeta(name="g"), spec=GadgetSpec(size=14)), "default"
        )
        assert isinstance(created, Gadget)
        assert created.spec.size == 10 and created.metadata.generation == 0
        await server.create(GADGETS, Gadget(metadata=ObjectMeta(name="keep")), "default")
        with pytest.raises(Forbidden, match="kept"):
            await server.delete(GADGETS, "keep", "default")
        assert isinstance(await server.delete(GADGETS, "g", "default"), Status)


async def test_plugin_kind_without_strategy_gets_the_generic_one() -> None:
    """Like a custom resource: generation tracks spec, status and spec are split."""
    storage, server = await _plugin_server(None)
    async with storage:
        await server.bootstrap()
        sent = Gadget(metadata=ObjectMeta(name="g"), spec=GadgetSpec(size=3), status=GadgetStatus(ready=True))
        created = await server.create(GADGETS, sent, "default")
        assert isinstance(created, Gadget)
        assert created.metadata.generation == 1 and created.status == GadgetStatus()
        status = await server.patch(
            GADGETS,
            "g",
            {"status": {"ready": True}, "spec": {"size": 9}},
            MERGE,
            "default",
            subresource="status",
        )
        assert isinstance(status, Gadget)
        assert status.status.ready and status.spec.size == 3 and status.metadata.generation == 1
        grown = await server.patch(
            GADGETS, "g", {"spec": {"size": 4}, "status": {"ready": False}}, MERGE, "default"
        )
        assert isinstance(grown, Gadget)
        assert grown.spec.size == 4 and grown.status.ready and grown.metadata.generation == 2


async def test_plugin_kind_serves_scale_through_its_strategy() -> None:
    storage, server = await _plugin_server(GadgetStrategy())
    async with storage:
        await server.bootstrap()
        await server.create(
            GADGETS, Gadget(metadata=ObjectMeta(name="g"), spec=GadgetSpec(size=4)), "default"
        )
        scale = await server.patch_scale(GADGETS, "g", {"spec": {"replicas": 6}}, MERGE, "default")
        assert (scale.spec.replicas, scale.status.selector) == (10, "kind=gadget"), "stored, canonicalized"
        stored = await server.get(GADGETS, "g", "default")
        assert isinstance(stored, Gadget) and stored.spec.size == 10


async def test_scale_of_a_kind_whose_strategy_cannot_scale_is_404() -> None:
    storage, server = await _plugin_server(None)
    async with storage:
        await server.bootstrap()
        await server.create(GADGETS, Gadget(metadata=ObjectMeta(name="g")), "default")
        with pytest.raises(NotFound, match=NOT_FOUND):
            await server.get_scale(GADGETS, "g", "default")


async def test_a_passed_strategy_replaces_a_builtin_one() -> None:
    async with MemoryStorage() as storage:
        server = APIServer(storage, strategies={("", "ConfigMap"): Strategy(tracks_generation=True)})
        await server.bootstrap()
        created = await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="c")), "default")
        assert created.metadata.generation == 1
        other = APIServer(storage)
        assert (await other.get(ConfigMap, "c", "default")).metadata.generation == 1
        plain = await other.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="d")), "default")
        assert plain.metadata.generation == 0, "each server has its own strategies"
