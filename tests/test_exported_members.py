"""The public surface of `kubelite` is curated: `__all__` is sorted, complete and importable."""

from __future__ import annotations

import kubelite


def test_all_is_sorted() -> None:
    assert kubelite.__all__ == sorted(kubelite.__all__)


def test_every_exported_name_resolves() -> None:
    for name in kubelite.__all__:
        assert getattr(kubelite, name) is not None, name


def test_all_matches_the_lazy_table() -> None:
    assert set(kubelite.__all__) == set(kubelite._SOURCES)
    assert dir(kubelite) == kubelite.__all__
