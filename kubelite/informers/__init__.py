"""Shared informers: a reflector (list, watch, resume, relist on 410 with tombstones) per kind feeding
an indexed read-only cache, listers over it, and handlers that enqueue work. See each module's
contract; `SharedInformerFactory` is the entry point."""

from kubelite.informers.backoff import Backoff, BackoffSettings
from kubelite.informers.cache import NAMESPACE_INDEX, Indexer, IndexFuncError, object_key, split_key
from kubelite.informers.factory import SharedInformerFactory
from kubelite.informers.handlers import DeletedFinalStateUnknown, EventHandlers, unwrap
from kubelite.informers.health import InformerHealth
from kubelite.informers.informer import CacheMutationError, SharedInformer
from kubelite.informers.lister import Lister
from kubelite.informers.metrics import InformerMetrics
from kubelite.informers.reflector import Reflector, ReflectorState

__all__ = [
    "NAMESPACE_INDEX",
    "Backoff",
    "BackoffSettings",
    "CacheMutationError",
    "DeletedFinalStateUnknown",
    "EventHandlers",
    "IndexFuncError",
    "Indexer",
    "InformerHealth",
    "InformerMetrics",
    "Lister",
    "Reflector",
    "ReflectorState",
    "SharedInformer",
    "SharedInformerFactory",
    "object_key",
    "split_key",
    "unwrap",
]
