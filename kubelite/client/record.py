"""Compatibility name for `kubelite.client.events`: `EventRecorder` and `reference_to` live there."""

from kubelite.client.events import EventRecorder, reference_to

__all__ = ["EventRecorder", "reference_to"]
