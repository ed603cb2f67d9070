"""`InProcessClient`: the `Client` protocol served by an `APIServer` in the same event loop.

No serialisation beyond what the apiserver does anyway: objects are copied on the way in (so the
caller's object is never retained) and each result is built for its call (so the caller owns it).
Writes carry the client's `field_manager`. Errors propagate unchanged from the apiserver.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Generic, Self, TypeVar, cast

from kubelite.api.autoscaling import Scale
from kubelite.api.core import Binding, Namespace
from kubelite.api.meta import DeleteOptions, Object
from kubelite.api.policy import Eviction
from kubelite.api.results import ObjectList, WatchEvent
from kubelite.apiserver import APIServer, RequestContext, WatchStream
from kubelite.client.interface import PatchType

T = TypeVar("T", bound=Object)


class TypedWatch(Generic[T]):
    """A `WatchStream` seen through the kind it was opened for."""

    def __init__(self, stream: WatchStream) -> None:
        self._stream = stream

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __aiter__(self) -> AsyncIterator[WatchEvent[T]]:
        return cast(AsyncIterator[WatchEvent[T]], aiter(self._stream))

    def close(self) -> None:
        self._stream.close()


class InProcessClient:
    """A `Client` over an in-process `APIServer`."""

    def __init__(self, server: APIServer, *, field_manager: str = "kubelite") -> None:
        self._server = server
        self._field_manager = field_manager

    @property
    def server(self) -> APIServer:
        return self._server

    def _ctx(self, dry_run: bool = False) -> RequestContext:
        return RequestContext(field_manager=self._field_manager, dry_run=dry_run)

    async def get(self, kind: type[T], name: str, namespace: str = "") -> T:
        return cast(T, await self._server.get(kind, name, namespace))

    async def list(
        self,
        kind: type[T],
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> ObjectList[T]:
        result = await self._server.list(
            kind, namespace, label_selector=label_selector, field_selector=field_selector
        )
        return cast(ObjectList[T], result)

    async def create(self, obj: T, *, dry_run: bool = False) -> T:
        created = await self._server.create(type(obj), obj, obj.metadata.namespace, self._ctx(dry_run))
        return cast(T, created)

    async def update(self, obj: T, *, dry_run: bool = False) -> T:
        meta = obj.metadata
        updated = await self._server.update(type(obj), obj, meta.name, meta.namespace, self._ctx(dry_run))
        return cast(T, updated)

    async def patch(
        self,
        kind: type[T],
        name: str,
        patch: bytes | dict[str, Any] | builtins.list[Any],
        namespace: str = "",
        *,
        patch_type: PatchType = PatchType.MERGE,
    ) -> T:
        result = await self._server.patch(kind, name, patch, patch_type.value, namespace, self._ctx())
        return cast(T, result)

    async def delete(
        self, kind: type[T], name: str, namespace: str = "", *, options: DeleteOptions | None = None
    ) -> T | None:
        result = await self._server.delete(kind, name, namespace, options, self._ctx())
        return result if isinstance(result, kind) else None

    async def update_status(self, obj: T) -> T:
        meta = obj.metadata
        updated = await self._server.update(
            type(obj), obj, meta.name, meta.namespace, self._ctx(), subresource="status"
        )
        return cast(T, updated)

    async def patch_status(
        self,
        kind: type[T],
        name: str,
        patch: bytes | dict[str, Any] | builtins.list[Any],
        namespace: str = "",
        *,
        patch_type: PatchType = PatchType.MERGE,
    ) -> T:
        result = await self._server.patch(
            kind, name, patch, patch_type.value, namespace, self._ctx(), subresource="status"
        )
        return cast(T, result)

    def watch(
        self,
        kind: type[T],
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> TypedWatch[T]:
        stream = self._server.watch(
            kind,
            namespace,
            resource_version=resource_version,
            label_selector=label_selector,
            field_selector=field_selector,
        )
        return TypedWatch(stream)

    async def get_scale(self, kind: type[Object], name: str, namespace: str = "") -> Scale:
        return await self._server.get_scale(kind, name, namespace)

    async def update_scale(self, kind: type[Object], scale: Scale) -> Scale:
        meta = scale.metadata
        return await self._server.update_scale(kind, meta.name, scale, meta.namespace, self._ctx())

    async def bind(self, binding: Binding) -> None:
        meta = binding.metadata
        await self._server.bind(meta.name, binding, meta.namespace, self._ctx())

    async def evict(self, eviction: Eviction) -> None:
        meta = eviction.metadata
        await self._server.evict(meta.name, eviction, meta.namespace, self._ctx())

    async def finalize_namespace(self, namespace: Namespace) -> Namespace:
        return await self._server.finalize_namespace(namespace.metadata.name, namespace, self._ctx())
