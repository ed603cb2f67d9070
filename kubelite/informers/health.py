"""What an informer reports about itself: `InformerHealth`, and the ledger of failures it survived.

`FailureLedger` records the two failures an informer absorbs instead of dying (see `informer`):
an index function that raised for an object version, surfaced once per (key, resourceVersion) in
a log line, a metric and the health counters; and an event handler that raised, surfaced every
time. It is plain bookkeeping on the event loop; nothing here blocks or raises.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import structlog

from kubelite.informers.cache import IndexFuncError
from kubelite.informers.metrics import InformerMetrics

log = structlog.get_logger("kubelite.informers")


@dataclass(frozen=True, slots=True)
class InformerHealth:
    kind: str
    synced: bool
    watching: bool
    objects: int
    failures: int
    """Reflector failures (list or watch errors) so far."""
    last_event_age: float | None
    last_error: str
    """The reflector's last failure, `Type: message`."""
    rejected: int = 0
    """Keys whose latest version the cache refused because an index function raised."""
    index_errors: int = 0
    """Refused object versions so far (each key and resourceVersion counted once)."""
    last_index_error: str = ""
    handler_errors: int = 0
    """Event handler calls that raised so far."""
    last_handler_error: str = ""


@dataclass(slots=True)
class FailureLedger:
    kind: str
    metrics: InformerMetrics | None = None
    rejected: dict[str, str] = field(default_factory=dict)
    """key → resourceVersion of the refused version."""
    index_errors: int = 0
    last_index_error: str = ""
    handler_errors: int = 0
    last_handler_error: str = ""

    def index_failed(self, resource_version: str, err: IndexFuncError) -> None:
        """Surface a refused object version, unless this exact version was already surfaced."""
        if self.rejected.get(err.key) == resource_version:
            return
        self.rejected[err.key] = resource_version
        self.index_errors += 1
        self.last_index_error = str(err)
        log.error(
            "informer_index_failed",
            kind=self.kind,
            key=err.key,
            resource_version=resource_version,
            index=err.index,
            error=f"{type(err.cause).__name__}: {err.cause}",
        )
        if self.metrics is not None:
            self.metrics.index_errors.labels(self.kind, err.index).inc()

    def admitted(self, key: str) -> None:
        """`key` was stored or deleted: any refusal of it is over."""
        if self.rejected:
            self.rejected.pop(key, None)

    def keep_only(self, listed: Collection[str]) -> None:
        """After a relist: forget refusals of keys that no longer exist."""
        for key in [k for k in self.rejected if k not in listed]:
            del self.rejected[key]

    def handler_failed(self, handler: str, err: Exception) -> None:
        self.handler_errors += 1
        self.last_handler_error = f"{handler}: {type(err).__name__}: {err}"
        log.error("event_handler_failed", kind=self.kind, handler=handler, exc_info=err)
        if self.metrics is not None:
            self.metrics.handler_errors.labels(self.kind).inc()
