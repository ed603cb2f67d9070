"""A simulated ReplicaSet controller for the pure rolling planner: RSs as `RSView`s, each sync
applies `plan_rolling` (creating the new RS at `new_rs_replicas` first), and pods become available
when the test says so."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from kubelite.controllers.deployment.fenceposts import Fenceposts
from kubelite.controllers.deployment.model import RSView
from kubelite.controllers.deployment.rolling import new_rs_replicas, plan_rolling


@dataclass
class Rollout:
    f: Fenceposts
    olds: list[RSView]
    new: RSView | None = None
    history: list[tuple[int, ...]] = field(default_factory=list)

    def sync(self) -> bool:
        """One Deployment sync; True if it changed a size."""
        if self.new is None:
            total = sum(rs.replicas for rs in self.olds)
            self.new = RSView("new", created="z", replicas=new_rs_replicas(0, total, self.f))
            self._record()
            return True
        steps = plan_rolling(self.new, self.olds, self.f)
        sizes = {s.name: s.replicas for s in steps}
        self.new = _resize(self.new, sizes)
        self.olds = [_resize(rs, sizes) for rs in self.olds]
        if steps:
            self._record()
        return bool(steps)

    def settle(self, ready_new: int | None = None) -> None:
        """The RS controllers catch up: pods match spec; old pods stay available; `ready_new` of the
        new RS's pods are available (all if None)."""
        self.olds = [
            dataclasses.replace(rs, status_replicas=rs.replicas, available=min(rs.available, rs.replicas))
            for rs in self.olds
        ]
        if self.new is not None:
            available = self.new.replicas if ready_new is None else min(ready_new, self.new.replicas)
            self.new = dataclasses.replace(self.new, status_replicas=self.new.replicas, available=available)

    def _record(self) -> None:
        assert self.new is not None
        self.history.append((*(rs.replicas for rs in self.olds), self.new.replicas))

    @property
    def total(self) -> int:
        return sum(rs.replicas for rs in self.olds) + (self.new.replicas if self.new else 0)

    @property
    def available(self) -> int:
        return sum(rs.available for rs in self.olds) + (self.new.available if self.new else 0)


def _resize(rs: RSView, sizes: dict[str, int]) -> RSView:
    return dataclasses.replace(rs, replicas=sizes[rs.name]) if rs.name in sizes else rs


def full(name: str, replicas: int, created: str = "a") -> RSView:
    return RSView(
        name, created=created, replicas=replicas, status_replicas=replicas, ready=replicas, available=replicas
    )
