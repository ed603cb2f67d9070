"""Public test kit for plugin authors: clusters in memory, virtual clocks, wait helpers."""

from kubelite.clock import FakeClock

__all__ = ["FakeClock"]
