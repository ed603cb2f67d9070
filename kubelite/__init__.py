"""kubelite: a Kubernetes-style control plane and node agent in one Python process.

This module is the curated public surface; everything importable from here is supported API.
Kinds live in `kubelite.api.<group>` (e.g. `kubelite.api.apps.Deployment`).
"""

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
