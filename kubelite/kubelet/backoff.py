"""Per-key exponential back-off with client-go's `flowcontrol.Backoff` semantics (KUB-3, KUB-6).

Contract: `Backoff(initial, maximum, clock)` keeps one entry per key (a pod UID plus a container
name or image). `in_backoff_since(key, at)` says whether an event at wall time `at` (a
container's finish, a failed pull) is still inside the key's current delay. `next(key, at)` moves
the key one step: the first step (or the first after the entry expired) is `initial`, each later
one doubles up to `maximum`. An entry expires when `at` is more than `2 × maximum` after its last
step (the "ran long enough" reset of KUB-6). Restart k ≥ 2 of a crashing container therefore waits
10, 20, 40 … 300 s after its previous exit, and the first restart is immediate. Times are wall
seconds (`clock.now()`), the unit of the runtime's `finished_at`. `gc()` drops entries idle for
more than `2 × maximum`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.clock import Clock


@dataclass(slots=True)
class _Entry:
    delay: float
    last_update: float


class Backoff:
    """Delays per key, doubling from `initial` to `maximum`."""

    __slots__ = ("_clock", "_entries", "initial", "maximum")

    def __init__(self, initial: float, maximum: float, clock: Clock) -> None:
        self.initial = initial
        self.maximum = maximum
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    def delay(self, key: str) -> float:
        """The key's current delay (0 when it has none)."""
        entry = self._entries.get(key)
        return entry.delay if entry is not None else 0.0

    def next(self, key: str, at: float) -> float:
        """Step the key's delay for an event at `at`; returns the new delay."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, at):
            self._entries[key] = _Entry(self.initial, self._clock.now())
            return self.initial
        entry.delay = min(entry.delay * 2, self.maximum)
        entry.last_update = self._clock.now()
        return entry.delay

    def in_backoff_since(self, key: str, at: float) -> bool:
        """Whether an event at `at` is still inside the key's delay at the clock's time."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, at):
            return False
        return self._clock.now() - at < entry.delay

    def remaining(self, key: str, at: float) -> float:
        """Seconds until the delay that started at `at` is over (0 when it is)."""
        entry = self._entries.get(key)
        if entry is None:
            return 0.0
        return max(0.0, at + entry.delay - self._clock.now())

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)

    def forget_prefix(self, prefix: str) -> None:
        """Drop every key starting with `prefix` (a pod UID when the pod is gone)."""
        for key in [key for key in self._entries if key.startswith(prefix)]:
            del self._entries[key]

    def gc(self) -> None:
        now = self._clock.now()
        for key in [key for key, entry in self._entries.items() if self._expired(entry, now)]:
            del self._entries[key]

    def _expired(self, entry: _Entry, at: float) -> bool:
        return at - entry.last_update > 2 * self.maximum
