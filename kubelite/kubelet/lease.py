"""The node Lease (NODE-2): `kube-node-lease/<node>`, renewed every 10 s.

Contract: `lease_for(node, duration, now)` builds the Lease a kubelet creates: holder the node
name, `leaseDurationSeconds`, an ownerReference to the Node (so it is collected with it), and
`renewTime` (MicroTime: RFC 3339 with microseconds). `renewed(lease, node, duration, now)` is the
same Lease with a fresh `renewTime`, holder and duration re-asserted, and the owner filled in if it
was missing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from kubelite.api.coordination import Lease, LeaseSpec
from kubelite.api.core import Node
from kubelite.api.meta import ObjectMeta, OwnerReference

LEASE_NAMESPACE = "kube-node-lease"


def micro_time(seconds: float) -> str:
    """MicroTime: `2026-01-01T00:00:00.000000Z`."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _owner(node: Node) -> OwnerReference:
    return OwnerReference(api_version="v1", kind="Node", name=node.metadata.name, uid=node.metadata.uid)


def lease_for(node: Node, duration: int, now: float) -> Lease:
    return Lease(
        metadata=ObjectMeta(
            name=node.metadata.name, namespace=LEASE_NAMESPACE, owner_references=[_owner(node)]
        ),
        spec=LeaseSpec(
            holder_identity=node.metadata.name, lease_duration_seconds=duration, renew_time=micro_time(now)
        ),
    )


def renewed(lease: Lease, node: Node, duration: int, now: float) -> Lease:
    owners = lease.metadata.owner_references or [_owner(node)]
    return msgspec.structs.replace(
        lease,
        metadata=msgspec.structs.replace(lease.metadata, owner_references=owners),
        spec=msgspec.structs.replace(
            lease.spec,
            holder_identity=node.metadata.name,
            lease_duration_seconds=duration,
            renew_time=micro_time(now),
        ),
    )
