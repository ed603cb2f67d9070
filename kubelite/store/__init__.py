"""Durable, watchable object storage: the `Storage` contract and its memory and SQLite backends."""

from kubelite.store.batch import StoreStats
from kubelite.store.interface import (
    Event,
    EventType,
    Key,
    KeyExistsError,
    KeyNotFoundError,
    Record,
    Render,
    RevisionCompactedError,
    RevisionMismatchError,
    Storage,
    StorageBusyError,
    StorageError,
    StorageFailedError,
    TransientStorageError,
    Watch,
)
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlite import SQLiteStorage

__all__ = [
    "Event",
    "EventType",
    "Key",
    "KeyExistsError",
    "KeyNotFoundError",
    "MemoryStorage",
    "Record",
    "Render",
    "RevisionCompactedError",
    "RevisionMismatchError",
    "SQLiteStorage",
    "Storage",
    "StorageBusyError",
    "StorageError",
    "StorageFailedError",
    "StoreStats",
    "TransientStorageError",
    "Watch",
]
