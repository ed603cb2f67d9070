"""`Bitmap`: which offsets of a range `[0, size)` are taken; claim, allocate next, release.

Upstream's allocation map (`pkg/registry/core/service/allocator/bitmap.go`) with its
random-scan-with-offset strategy: a range is split into a lower band `[0, static_band)`, kept for
addresses users ask for by value, and the upper band. `allocate_next` picks a random offset in the
upper band and scans forward (wrapping within the band) for a free one; only when the upper band is
full does it scan the lower band the same way (from a random start, skipping offsets below
`first_dynamic`, which only explicit claims may take: the `kubernetes` Service's address). With
the range mostly free the scan stops after a step or two, so both calls are O(1) expected; the
taken offsets live in a set, so `claim`, `release` and `has` are O(1).

All methods are synchronous and change the map entirely or not at all. The random source is
injectable so tests can pin the choice. One map belongs to one owner (an allocator); it is not
shared and holds no locks (everything runs on one event loop).
"""

from __future__ import annotations

import random
from collections.abc import Iterable


class Bitmap:
    """The taken offsets of a range of `size` items."""

    def __init__(
        self, size: int, *, static_band: int = 0, first_dynamic: int = 0, rng: random.Random | None = None
    ) -> None:
        if size < 0 or not 0 <= static_band <= size or not 0 <= first_dynamic <= size:
            raise ValueError(f"bad bitmap shape: size {size}, band {static_band}, first {first_dynamic}")
        self.size = size
        self.static_band = static_band
        self.first_dynamic = first_dynamic
        self._taken: set[int] = set()
        self._rng = rng if rng is not None else random.Random()

    @property
    def used(self) -> int:
        return len(self._taken)

    @property
    def free(self) -> int:
        return self.size - len(self._taken)

    def has(self, offset: int) -> bool:
        return offset in self._taken

    def claim(self, offset: int) -> bool:
        """Take `offset`; False when it is already taken. Out-of-range offsets are a ValueError."""
        if not 0 <= offset < self.size:
            raise ValueError(f"offset {offset} is outside [0, {self.size})")
        if offset in self._taken:
            return False
        self._taken.add(offset)
        return True

    def allocate_next(self) -> int | None:
        """Take a free offset, upper band first; None when no dynamic offset is left."""
        if not self.free:
            return None
        upper = max(self.static_band, self.first_dynamic)
        for low, high in ((upper, self.size), (self.first_dynamic, self.static_band)):
            found = self._scan(low, high)
            if found is not None:
                self._taken.add(found)
                return found
        return None

    def release(self, offset: int) -> None:
        """Give `offset` back; releasing a free or out-of-range offset does nothing."""
        self._taken.discard(offset)

    def taken(self) -> Iterable[int]:
        return iter(sorted(self._taken))

    def _scan(self, low: int, high: int) -> int | None:
        width = high - low
        if width <= 0:
            return None
        start = self._rng.randrange(width)
        for step in range(width):
            at = low + (start + step) % width
            if at not in self._taken:
                return at
        return None
