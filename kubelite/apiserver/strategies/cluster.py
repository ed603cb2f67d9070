"""Strategies of kinds that do not track generation: Node, ConfigMap, Secret, Endpoints, Event,
Lease, and EndpointSlice, whose generation follows its content.

Kubernetes' strategies for these kinds never set `metadata.generation` (it stays 0), so a Lease
renewal or a ConfigMap edit leaves it alone. A Node has a status subresource (main writes keep
its status, status writes its spec); the others have none, so `…/status` is a 404 for them.
An EndpointSlice starts at generation 1 and moves on any change outside its metadata or to its
labels (`pkg/registry/discovery/endpointslice/strategy.go`).
"""

from __future__ import annotations

import msgspec

from kubelite.api.meta import Object, ObjectMeta
from kubelite.apiserver.codec import encode
from kubelite.apiserver.strategies.base import Strategy


class EndpointSliceStrategy(Strategy):
    def prepare_for_create(self, obj: Object) -> None:
        super().prepare_for_create(obj)
        obj.metadata.generation = 1

    def prepare_for_update(self, old: Object, new: Object) -> None:
        super().prepare_for_update(old, new)
        if _content(old) != _content(new) or old.metadata.labels != new.metadata.labels:
            new.metadata.generation = old.metadata.generation + 1


def _content(obj: Object) -> bytes:
    """The object's encoding without its metadata."""
    return encode(msgspec.structs.replace(obj, metadata=ObjectMeta()))


def cluster_strategies() -> dict[tuple[str, str], Strategy]:
    plain = Strategy()
    return {
        ("", "Node"): Strategy(status_subresource=True),
        ("", "ConfigMap"): plain,
        ("", "Secret"): plain,
        ("", "Endpoints"): plain,
        ("", "Event"): plain,
        ("coordination.k8s.io", "Lease"): plain,
        ("discovery.k8s.io", "EndpointSlice"): EndpointSliceStrategy(),
    }
