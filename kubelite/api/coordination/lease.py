"""coordination.k8s.io/v1 Lease: a holder and a renew time, used for node heartbeats (NODE-2) and
leader election.

`acquireTime` and `renewTime` are MicroTime in Kubernetes (RFC 3339 with microseconds) and stay
strings. Every spec field is a Go pointer. A Lease has no status.
"""

from __future__ import annotations

import msgspec

from kubelite.api.meta import Base, Object


class LeaseSpec(Base):
    holder_identity: str | None = None
    lease_duration_seconds: int | None = None
    acquire_time: str | None = None
    renew_time: str | None = None
    lease_transitions: int | None = None
    strategy: str | None = None
    preferred_holder: str | None = None


class Lease(Object):
    api_version: str = msgspec.field(default_factory=lambda: "coordination.k8s.io/v1")
    spec: LeaseSpec = msgspec.field(default_factory=LeaseSpec)
