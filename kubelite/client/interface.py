"""The `Client` protocol that controllers, kubelets and users program against.

Small protocols, combined (as controller-runtime does): `Reader` + `Writer` + `StatusWriter` +
`Watcher` + `SubResourceClient` = `Client`. Kinds are named by their Struct class
(`await client.get(Pod, "web", "default")`), so results are typed. The same protocol is served
in-process (`InProcessClient`) and, later, over HTTP against any Kubernetes API server.

Ownership: every object a client returns is a fresh value built for that call; the store, caches and
other callers never hold it, so the caller may mutate it freely. Objects passed in are copied before
use and never retained. Errors are the `kubelite.client.errors` tree (re-exported from
`kubelite.api.errors`).
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from kubelite.api.autoscaling import Scale
from kubelite.api.core import Binding, Namespace
from kubelite.api.meta import DeleteOptions, Object
from kubelite.api.policy import Eviction
from kubelite.api.results import ObjectList, WatchEvent

T = TypeVar("T", bound=Object)


class PatchType(enum.StrEnum):
    """Patch formats, by the Content-Type Kubernetes gives each."""

    JSON = "application/json-patch+json"
    MERGE = "application/merge-patch+json"
    STRATEGIC = "application/strategic-merge-patch+json"


class Watch(Protocol[T]):
    """An open watch: `async with` it and iterate; leaving the block (or `close()`) ends it."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def __aiter__(self) -> AsyncIterator[WatchEvent[T]]: ...

    def close(self) -> None: ...


class Reader(Protocol):
    async def get(self, kind: type[T], name: str, namespace: str = "") -> T: ...

    async def list(
        self,
        kind: type[T],
        namespace: str | None = None,
        *,
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> ObjectList[T]: ...


class Writer(Protocol):
    async def create(self, obj: T, *, dry_run: bool = False) -> T: ...

    async def update(self, obj: T, *, dry_run: bool = False) -> T: ...

    async def patch(
        self,
        kind: type[T],
        name: str,
        patch: bytes | dict[str, Any] | list[Any],
        namespace: str = "",
        *,
        patch_type: PatchType = PatchType.MERGE,
    ) -> T: ...

    async def delete(
        self, kind: type[T], name: str, namespace: str = "", *, options: DeleteOptions | None = None
    ) -> T | None:
        """Delete; returns the object if it still exists (finalizers or grace), else None."""
        ...


class StatusWriter(Protocol):
    async def update_status(self, obj: T) -> T: ...

    async def patch_status(
        self,
        kind: type[T],
        name: str,
        patch: bytes | dict[str, Any] | list[Any],
        namespace: str = "",
        *,
        patch_type: PatchType = PatchType.MERGE,
    ) -> T: ...


class Watcher(Protocol):
    def watch(
        self,
        kind: type[T],
        namespace: str | None = None,
        *,
        resource_version: str = "",
        label_selector: str | None = None,
        field_selector: str | None = None,
    ) -> Watch[T]: ...


class SubResourceClient(Protocol):
    async def get_scale(self, kind: type[Object], name: str, namespace: str = "") -> Scale: ...

    async def update_scale(self, kind: type[Object], scale: Scale) -> Scale: ...

    async def bind(self, binding: Binding) -> None: ...

    async def evict(self, eviction: Eviction) -> None: ...

    async def finalize_namespace(self, namespace: Namespace) -> Namespace:
        """PUT `namespaces/{name}/finalize`: writes `spec.finalizers` (nothing else); a terminating
        namespace left without finalizers disappears."""
        ...


class Client(Reader, Writer, StatusWriter, Watcher, SubResourceClient, Protocol):
    """Everything a controller needs from the API."""
