"""`SliceTracker`: the generation of every EndpointSlice this controller wrote, per Service
(upstream's EndpointSliceTracker), so it can tell its own writes from others' and a lagging cache
from the truth. Generations only grow for one slice (its content and labels move them), so the
check survives relists and duplicated events.

- `wrote(slice)` after a create or update; `deleting(slice)` after a delete.
- `should_sync(slice)`: an informer event shows a slice this controller did not write in that
  generation (someone else changed it, or it is new to us): sync its Service.
- `deleted(slice)`: an informer delete; True when this controller did not expect it (sync).
- `stale(key, slices)`: the cache is behind this controller's writes: a slice older than written,
  one still there though deleted, or one written but missing. A sync then waits.
- `forget(key)`: the Service is gone.
"""

from __future__ import annotations

from collections.abc import Iterable

from kubelite.api.discovery import EndpointSlice
from kubelite.controllers.endpointslice.slices import SERVICE_NAME_LABEL

DELETION_EXPECTED = -1


def service_key(endpoint_slice: EndpointSlice) -> str:
    meta = endpoint_slice.metadata
    return f"{meta.namespace}/{meta.labels.get(SERVICE_NAME_LABEL, '')}"


class SliceTracker:
    def __init__(self) -> None:
        self._generations: dict[str, dict[str, int]] = {}

    def wrote(self, endpoint_slice: EndpointSlice) -> None:
        meta = endpoint_slice.metadata
        self._generations.setdefault(service_key(endpoint_slice), {})[meta.uid] = meta.generation

    def deleting(self, endpoint_slice: EndpointSlice) -> None:
        self._generations.setdefault(service_key(endpoint_slice), {})[endpoint_slice.metadata.uid] = (
            DELETION_EXPECTED
        )

    def should_sync(self, endpoint_slice: EndpointSlice) -> bool:
        known = self._generations.get(service_key(endpoint_slice), {}).get(endpoint_slice.metadata.uid)
        return known is None or endpoint_slice.metadata.generation > known

    def deleted(self, endpoint_slice: EndpointSlice) -> bool:
        generations = self._generations.get(service_key(endpoint_slice), {})
        known = generations.pop(endpoint_slice.metadata.uid, None)
        return known != DELETION_EXPECTED

    def stale(self, key: str, slices: Iterable[EndpointSlice]) -> bool:
        generations = self._generations.get(key)
        if not generations:
            return False
        seen = set()
        for endpoint_slice in slices:
            meta = endpoint_slice.metadata
            seen.add(meta.uid)
            known = generations.get(meta.uid)
            if known is not None and (known == DELETION_EXPECTED or known > meta.generation):
                return True
        return any(g != DELETION_EXPECTED and uid not in seen for uid, g in generations.items())

    def forget(self, key: str) -> None:
        self._generations.pop(key, None)
