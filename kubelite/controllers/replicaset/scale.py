"""How many pods a sync creates or deletes (RS-4, RS-5), as pure arithmetic.

- `scale_diff(active, replicas)`: `active − replicas` (negative: too few).
- `plan_scale(active, replicas, burst)`: `ScalePlan(create=min(−diff, burst))` or
  `ScalePlan(delete=min(diff, burst))`; at most `burst` (500 upstream) changes per sync.
- `batch_sizes(count, initial=1)`: the slow-start batches the creates go out in: 1, 2, 4, …, each
  `min(2 × previous, remaining)`; 10 pods go as 1, 2, 4, 3. The runtime's `slow_start_batch` runs
  them and stops after the first batch with a failure (the rest are never attempted).
"""

from __future__ import annotations

from dataclasses import dataclass

BURST_REPLICAS = 500


@dataclass(frozen=True, slots=True)
class ScalePlan:
    create: int = 0
    delete: int = 0


def scale_diff(active: int, replicas: int) -> int:
    return active - replicas


def plan_scale(active: int, replicas: int, burst: int = BURST_REPLICAS) -> ScalePlan:
    diff = scale_diff(active, replicas)
    if diff < 0:
        return ScalePlan(create=min(-diff, burst))
    if diff > 0:
        return ScalePlan(delete=min(diff, burst))
    return ScalePlan()


def batch_sizes(count: int, initial: int = 1) -> list[int]:
    sizes: list[int] = []
    batch, remaining = min(initial, count), count
    while batch > 0:
        sizes.append(batch)
        remaining -= batch
        batch = min(2 * batch, remaining)
    return sizes
