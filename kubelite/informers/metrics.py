"""Informer failure counters, on a caller-supplied Prometheus registry.

client-go exports no such metrics (a failing index function panics there, a failing handler is its
own goroutine's problem); kubelite keeps informers alive through both and counts them instead:

- `kubelite_informer_index_errors_total{kind,index}`: objects the cache refused because an index
  function raised, counted once per object version (key and resourceVersion), however often a
  relist or resync delivers that version again;
- `kubelite_informer_handler_errors_total{kind}`: event handler calls that raised.

Nothing is registered in the global default registry: pass the registry you expose.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter


@dataclass(frozen=True, slots=True)
class InformerMetrics:
    index_errors: Counter
    handler_errors: Counter

    @classmethod
    def create(cls, registry: CollectorRegistry) -> InformerMetrics:
        return cls(
            index_errors=Counter(
                "kubelite_informer_index_errors_total",
                "Object versions the informer cache refused because an index function raised",
                ["kind", "index"],
                registry=registry,
            ),
            handler_errors=Counter(
                "kubelite_informer_handler_errors_total",
                "Event handler calls that raised",
                ["kind"],
                registry=registry,
            ),
        )
