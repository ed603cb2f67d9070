"""controller-runtime's reconcile metrics (C6), on a caller-supplied Prometheus registry.

Names: `controller_runtime_reconcile_total{controller,result}` (result: success, error, requeue,
requeue_after), `controller_runtime_reconcile_errors_total`,
`controller_runtime_terminal_reconcile_errors_total`, `controller_runtime_reconcile_panics_total`,
`controller_runtime_reconcile_time_seconds` (buckets 5 ms … 60 s),
`controller_runtime_max_concurrent_reconciles`, `controller_runtime_active_workers`. Every counter is
initialised to 0 for a controller when it is registered. Nothing is registered in the global default
registry: pass the registry you expose.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

RESULTS = ("success", "error", "requeue", "requeue_after")
TIME_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7,
                0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15,
                20, 25, 30, 40, 50, 60)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ControllerMetrics:
    reconcile_total: Counter
    reconcile_errors: Counter
    terminal_errors: Counter
    panics: Counter
    reconcile_time: Histogram
    max_concurrent: Gauge
    active_workers: Gauge

    @classmethod
    def create(cls, registry: CollectorRegistry) -> ControllerMetrics:
        prefix = "controller_runtime_"
        return cls(
            reconcile_total=Counter(
                prefix + "reconcile_total", "Reconciliations per controller and result",
                ["controller", "result"], registry=registry),
            reconcile_errors=Counter(
                prefix + "reconcile_errors_total", "Reconciliations that failed", ["controller"],
                registry=registry),
            terminal_errors=Counter(
                prefix + "terminal_reconcile_errors_total", "Reconciliations that failed terminally",
                ["controller"], registry=registry),
            panics=Counter(
                prefix + "reconcile_panics_total", "Reconciliations that raised unexpectedly",
                ["controller"], registry=registry),
            reconcile_time=Histogram(
                prefix + "reconcile_time_seconds", "Time per reconciliation", ["controller"],
                buckets=TIME_BUCKETS, registry=registry),
            max_concurrent=Gauge(
                prefix + "max_concurrent_reconciles", "Workers per controller", ["controller"],
                registry=registry),
            active_workers=Gauge(
                prefix + "active_workers", "Workers busy reconciling", ["controller"], registry=registry),
        )  # fmt: skip

    def register_controller(self, name: str, workers: int) -> None:
        for result in RESULTS:
            self.reconcile_total.labels(name, result)
        self.reconcile_errors.labels(name)
        self.terminal_errors.labels(name)
        self.panics.labels(name)
        self.max_concurrent.labels(name).set(workers)
        self.active_workers.labels(name).set(0)
