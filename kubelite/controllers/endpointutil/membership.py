"""Which Services a pod event concerns, without looking at every pod or every Service.

`ServiceSelectors` keeps, per namespace, the selector of every Service the controllers manage
(a non-empty selector, not ExternalName; EP-1), fed by the Service informer's events, so a pod
event costs one pass over the selectors of its own namespace and no object decoding.
`services_for(namespace, labels)` gives the names of the Services selecting those labels.

`pod_change(old, new)` (pure) says whether an update matters to endpoints: `(pod_changed,
labels_changed)`, as upstream's podEndpointsChanged. The pod changed for endpoints when its
deletionTimestamp, readiness, phase or IPs changed; its membership may have changed when its
labels, hostname or subdomain did. `services_to_update(selectors, old, new)` then names the
Services to sync: none for an unchanged resourceVersion (a resync) or an irrelevant change; with a
pod change, the union of the old and new members (a label change must update BOTH the Service the
pod left and the one it joined); with a label change alone, only the Services it left or joined.
"""

from __future__ import annotations

from collections.abc import Mapping

from kubelite.api.core import Pod, Service
from kubelite.controllers.endpointutil.pods import is_pod_ready, pod_ips
from kubelite.informers import DeletedFinalStateUnknown, EventHandlers, unwrap


def managed_selector(service: Service) -> dict[str, str] | None:
    """The selector the endpoints controllers follow; None for a Service they leave alone (EP-1)."""
    if service.spec.type == "ExternalName" or not service.spec.selector:
        return None
    return service.spec.selector


def selects(selector: Mapping[str, str], labels: Mapping[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


class ServiceSelectors:
    """namespace → {service name: selector} of the managed Services the informer has delivered."""

    def __init__(self) -> None:
        self._by_namespace: dict[str, dict[str, dict[str, str]]] = {}

    def services_for(self, namespace: str, labels: Mapping[str, str]) -> set[str]:
        selectors = self._by_namespace.get(namespace, {})
        return {name for name, selector in selectors.items() if selects(selector, labels)}

    def handlers(self) -> EventHandlers[Service]:
        def put(service: Service) -> None:
            meta = service.metadata
            selector = managed_selector(service)
            if selector is None:
                self._remove(meta.namespace, meta.name)
            else:
                self._by_namespace.setdefault(meta.namespace, {})[meta.name] = dict(selector)

        def delete(obj: Service | DeletedFinalStateUnknown[Service]) -> None:
            meta = unwrap(obj).metadata
            self._remove(meta.namespace, meta.name)

        return EventHandlers(
            on_add=lambda svc, _initial: put(svc), on_update=lambda _old, new: put(new), on_delete=delete
        )

    def _remove(self, namespace: str, name: str) -> None:
        selectors = self._by_namespace.get(namespace)
        if selectors is not None:
            selectors.pop(name, None)
            if not selectors:
                del self._by_namespace[namespace]


def pod_change(old: Pod, new: Pod) -> tuple[bool, bool]:
    labels_changed = (
        old.metadata.labels != new.metadata.labels
        or old.spec.hostname != new.spec.hostname
        or old.spec.subdomain != new.spec.subdomain
    )
    pod_changed = (
        old.metadata.deletion_timestamp != new.metadata.deletion_timestamp
        or is_pod_ready(old) != is_pod_ready(new)
        or old.status.phase != new.status.phase
        or pod_ips(old) != pod_ips(new)
        or old.spec.node_name != new.spec.node_name
    )
    return pod_changed, labels_changed


def services_to_update(selectors: ServiceSelectors, old: Pod, new: Pod) -> set[str]:
    if old.metadata.resource_version == new.metadata.resource_version:
        return set()
    pod_changed, labels_changed = pod_change(old, new)
    if not pod_changed and not labels_changed:
        return set()
    namespace = new.metadata.namespace
    current = selectors.services_for(namespace, new.metadata.labels)
    if not labels_changed:
        return current
    previous = selectors.services_for(namespace, old.metadata.labels)
    membership_only = old.spec.hostname == new.spec.hostname and old.spec.subdomain == new.spec.subdomain
    if pod_changed or not membership_only:
        return current | previous
    return current ^ previous
