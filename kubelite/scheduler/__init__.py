"""The scheduler: assigns pending pods to nodes through the binding subresource (SCH-1..SCH-9).

`Scheduler(client, factory, clock=..., rng=...)` and `await scheduler.run()` is all a caller needs;
`SchedulerSettings` holds the knobs. The parts — queue, cache, plugins, algorithm — are modules of
their own (see each module's contract).
"""

from kubelite.scheduler.algorithm import Unschedulable, num_feasible_nodes_to_find
from kubelite.scheduler.scheduler import Scheduler
from kubelite.scheduler.settings import SchedulerSettings

__all__ = ["Scheduler", "SchedulerSettings", "Unschedulable", "num_feasible_nodes_to_find"]
