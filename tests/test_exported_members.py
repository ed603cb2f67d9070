"""The public surface of `kubelite` is curated: `__all__` is sorted, complete and importable."""

from __future__ import annotations

import kubelite


def test_all_is_sorted() -> None:
    assert kubelite.__all__ == sorted(kubelite.__all__)


def test_every_exported_name_exists() -> None:
    for name in kubelite.__all__:
        assert getattr(kubelite, name, None) is not None, name


def test_nothing_public_is_left_out() -> None:
    public = {name for name in vars(kubelite) if not name.startswith("_")}
    modules = {"api", "apiserver", "client", "clock", "store"}
    assert public - modules == set(kubelite.__all__)
