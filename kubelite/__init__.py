"""kubelite: a Kubernetes-style control plane and node agent in one Python process.

This module is the curated public surface; everything importable from here is supported API.
Names are loaded on first use, so `import kubelite.api.core` stays light. Kinds live in
`kubelite.api.<group>` (e.g. `kubelite.api.apps.Deployment`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubelite.api.errors import (
        AlreadyExists,
        APIError,
        BadRequest,
        Conflict,
        Forbidden,
        Gone,
        Invalid,
        NotFound,
    )
    from kubelite.api.registry import Registry, ResourceInfo, builtin_registry
    from kubelite.api.results import ObjectList, WatchEvent
    from kubelite.apiserver import APIServer, APIServerSettings, RequestContext
    from kubelite.client import Client, InProcessClient, PatchType
    from kubelite.clock import Clock, FakeClock, SystemClock
    from kubelite.store import MemoryStorage, SQLiteStorage, Storage

_SOURCES = {
    "APIError": "kubelite.api.errors",
    "APIServer": "kubelite.apiserver",
    "APIServerSettings": "kubelite.apiserver",
    "AlreadyExists": "kubelite.api.errors",
    "BadRequest": "kubelite.api.errors",
    "Client": "kubelite.client",
    "Clock": "kubelite.clock",
    "Conflict": "kubelite.api.errors",
    "FakeClock": "kubelite.clock",
    "Forbidden": "kubelite.api.errors",
    "Gone": "kubelite.api.errors",
    "InProcessClient": "kubelite.client",
    "Invalid": "kubelite.api.errors",
    "MemoryStorage": "kubelite.store",
    "NotFound": "kubelite.api.errors",
    "ObjectList": "kubelite.api.results",
    "PatchType": "kubelite.client",
    "Registry": "kubelite.api.registry",
    "RequestContext": "kubelite.apiserver",
    "ResourceInfo": "kubelite.api.registry",
    "SQLiteStorage": "kubelite.store",
    "Storage": "kubelite.store",
    "SystemClock": "kubelite.clock",
    "WatchEvent": "kubelite.api.results",
    "builtin_registry": "kubelite.api.registry",
}

__all__ = [
    "APIError",
    "APIServer",
    "APIServerSettings",
    "AlreadyExists",
    "BadRequest",
    "Client",
    "Clock",
    "Conflict",
    "FakeClock",
    "Forbidden",
    "Gone",
    "InProcessClient",
    "Invalid",
    "MemoryStorage",
    "NotFound",
    "ObjectList",
    "PatchType",
    "Registry",
    "RequestContext",
    "ResourceInfo",
    "SQLiteStorage",
    "Storage",
    "SystemClock",
    "WatchEvent",
    "builtin_registry",
]


def __getattr__(name: str) -> Any:
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module 'kubelite' has no attribute {name!r}")
    return getattr(importlib.import_module(source), name)


def __dir__() -> list[str]:
    return sorted(__all__)
