"""`APIServer`: Kubernetes request semantics over a `Storage`, without HTTP.

Every verb takes the resource as a `ResourceInfo` (what the HTTP layer resolves from a URL) or as the
kind's Struct class, plus an optional `RequestContext` (field validation, dry run, warnings).
Objects go in as Structs or JSON-shaped mappings and come out as fresh Structs the caller owns. All
failures are `kubelite.api.errors.APIError`s carrying Kubernetes' Status (store failures included:
504 Timeout for a busy database, else 500, see `storeerrors`); a failed call changes nothing.
Reads (`get`, `list`, `watch`) see committed state only.

Kind-specific write rules live in per-kind strategies (`kubelite.apiserver.strategies`); a plugin
kind brings its own with `APIServer(storage, strategies={(group, kind): MyStrategy()})`, and any
other kind gets the generic strategy derived from its type's fields.

Call `await server.bootstrap()` once before serving: it creates the built-in namespaces if missing;
once the address it is served at is known, `ensure_kubernetes_service(address, port)` creates the
`kubernetes` Service and its endpoints, as kube-apiserver does.
The server holds no tasks of its own; the storage's lifetime is the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubelite.api.autoscaling import Scale
from kubelite.api.core import Namespace
from kubelite.api.meta import Object, Status
from kubelite.api.registry import Registry, ResourceInfo, builtin_registry
from kubelite.api.results import ObjectList
from kubelite.apiserver import create as creating
from kubelite.apiserver import delete as deleting
from kubelite.apiserver import kubernetesservice, namespaces, read
from kubelite.apiserver import update as updating
from kubelite.apiserver.allocators.ips import IPRange
from kubelite.apiserver.context import RequestContext
from kubelite.apiserver.core import ServerCore
from kubelite.apiserver.settings import APIServerSettings
from kubelite.apiserver.storeerrors import GuardedStorage
from kubelite.apiserver.strategies import Strategies, Strategy
from kubelite.apiserver.subresources import binding, eviction, scale
from kubelite.apiserver.watch import WatchStream
from kubelite.clock import Clock, SystemClock
from kubelite.store.interface import Storage

Resource = ResourceInfo | type[Object]


class APIServer:
    """The Kubernetes API over one storage backend."""

    def __init__(
        self,
        storage: Storage,
        *,
        registry: Registry | None = None,
        clock: Clock | None = None,
        settings: APIServerSettings | None = None,
        strategies: Mapping[tuple[str, str], Strategy] | None = None,
    ) -> None:
        """`strategies` maps `(group, kind)` to the strategy of a kind the caller registered (or
        replaces a built-in one)."""
        self._storage = storage
        self._core = ServerCore(
            storage=GuardedStorage(storage),
            registry=registry if registry is not None else builtin_registry(),
            clock=clock if clock is not None else SystemClock(),
            settings=settings if settings is not None else APIServerSettings(),
            strategies=Strategies(strategies),
        )

    @property
    def registry(self) -> Registry:
        return self._core.registry

    @property
    def storage(self) -> Storage:
        return self._storage

    @property
    def clock(self) -> Clock:
        return self._core.clock

    def info(self, resource: Resource) -> ResourceInfo:
        if isinstance(resource, ResourceInfo):
            return resource
        return self._core.registry.by_type(resource)

    async def bootstrap(self) -> None:
        """Create the built-in namespaces that are missing (API-11)."""
        info = namespaces.namespace_info(self._core)
        for ns in namespaces.builtin_namespaces():
            if self._core.storage.latest(self._core.key(info, "", ns.metadata.name)) is None:
                await creating.create(self._core, info, ns, "", RequestContext())

    async def ensure_kubernetes_service(
        self, address: str, port: int, *, correct_service: bool = True
    ) -> None:
        """The `kubernetes` Service, Endpoints and EndpointSlice in `default` for the API served
        at `address:port`: created when missing, corrected when they differ (`kubernetesservice`;
        an existing Service only with `correct_service`)."""
        first = IPRange(self._core.settings.service_cidr).first
        await kubernetesservice.reconcile(self._core, address, port, first, correct_service=correct_service)

    async def create(
        self, resource: Resource, obj: object, namespace: str = "", ctx: RequestContext | None = None
    ) -> Object:
        return await creating.create(self._core, self.info(resource), obj, namespace, _ctx(ctx))

    async def get(self, resource: Resource, name: str, namespace: str = "") -> Object:
        return await read.get(self._core, self.info(resource), name, namespace)

    async def list(
        self,
        resource: Resource,
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> ObjectList[Object]:
        info = self.info(resource)
        return await read.list_objects(self._core, info, namespace, label_selector, field_selector)

    async def update(
        self,
        resource: Resource,
        obj: object,
        name: str,
        namespace: str = "",
        ctx: RequestContext | None = None,
        *,
        subresource: str = "",
    ) -> Object:
        info = self.info(resource)
        return await updating.update(self._core, info, obj, namespace, name, _ctx(ctx), subresource)

    async def patch(
        self,
        resource: Resource,
        name: str,
        body: bytes | Any,
        content_type: str,
        namespace: str = "",
        ctx: RequestContext | None = None,
        *,
        subresource: str = "",
    ) -> Object:
        info = self.info(resource)
        return await updating.patch(
            self._core, info, name, namespace, body, content_type, _ctx(ctx), subresource
        )

    async def delete(
        self,
        resource: Resource,
        name: str,
        namespace: str = "",
        options: object | None = None,
        ctx: RequestContext | None = None,
    ) -> Object | Status:
        info = self.info(resource)
        return await deleting.delete(self._core, info, name, namespace, options, _ctx(ctx))

    def watch(
        self,
        resource: Resource,
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> WatchStream:
        info = self.info(resource)
        labels = read.parse_label_selector(label_selector)
        fields = read.parse_fields(info, field_selector)
        return WatchStream(self._core, info, namespace, resource_version, read.matcher(labels, fields))

    async def finalize_namespace(
        self, name: str, namespace: object, ctx: RequestContext | None = None
    ) -> Namespace:
        """PUT `namespaces/{name}/finalize`: the only write that changes `spec.finalizers` (the
        namespace controller removes `kubernetes` with it); a terminating namespace left with no
        finalizers disappears."""
        info = self.info(Namespace)
        result = await updating.update(self._core, info, namespace, "", name, _ctx(ctx), "finalize")
        assert isinstance(result, Namespace)
        return result

    async def get_scale(self, resource: Resource, name: str, namespace: str = "") -> Scale:
        return await scale.get_scale(self._core, self.info(resource), name, namespace)

    async def update_scale(
        self,
        resource: Resource,
        name: str,
        body: object,
        namespace: str = "",
        ctx: RequestContext | None = None,
    ) -> Scale:
        info = self.info(resource)
        return await scale.update_scale(self._core, info, name, namespace, body, _ctx(ctx))

    async def patch_scale(
        self,
        resource: Resource,
        name: str,
        body: bytes | Any,
        content_type: str,
        namespace: str = "",
        ctx: RequestContext | None = None,
    ) -> Scale:
        info = self.info(resource)
        return await scale.patch_scale(self._core, info, name, namespace, body, content_type, _ctx(ctx))

    async def bind(
        self, name: str, body: object, namespace: str, ctx: RequestContext | None = None
    ) -> Status:
        return await binding.bind(self._core, namespace, name, body, _ctx(ctx))

    async def evict(
        self, name: str, body: object, namespace: str, ctx: RequestContext | None = None
    ) -> Status:
        return await eviction.evict(self._core, namespace, name, body, _ctx(ctx))


def _ctx(ctx: RequestContext | None) -> RequestContext:
    return ctx if ctx is not None else RequestContext()
