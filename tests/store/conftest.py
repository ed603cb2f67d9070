"""Fixtures for the store suite: every behaviour test runs against both backends."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from kubelite.store.core import BatchingStore
from kubelite.store.interface import Key, Render
from kubelite.store.memory import MemoryStorage
from kubelite.store.sqlite import SQLiteStorage

StoreFactory = Callable[..., BatchingStore]
"""Builds an unopened store of the backend under test; takes `history=`."""


@pytest.fixture(params=["memory", "sqlite"])
def new_store(request: pytest.FixtureRequest, tmp_path: Path) -> StoreFactory:
    numbers = itertools.count()

    def make(history: int = 50_000) -> BatchingStore:
        if request.param == "memory":
            return MemoryStorage(history=history)
        return SQLiteStorage(tmp_path / f"store-{next(numbers)}.db", history=history)

    return make


@pytest.fixture
async def store(new_store: StoreFactory) -> AsyncIterator[BatchingStore]:
    async with new_store() as opened:
        yield opened


def pod(name: str, namespace: str = "default") -> Key:
    return ("pods", namespace, name)


def value(text: str) -> Render:
    """A render callback storing `text@revision`, so tests can see which write produced a value."""
    return lambda revision: f"{text}@{revision}".encode()
