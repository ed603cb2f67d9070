"""Validation of API objects, with Kubernetes' field paths and messages.

    validate_create(obj) -> list[FieldError]         # empty when the object may be created
    validate_update(new, old) -> list[FieldError]    # empty when `old` may become `new`

Both run after defaulting (the apiserver defaults first) and after generateName has produced a
name. They dispatch on the object's type: Pod, Binding, Deployment, ReplicaSet,
ReplicationController, Job, Service, Node, Namespace, ConfigMap, Secret, Event, Endpoints,
EndpointSlice, Lease, PodDisruptionBudget and Eviction have their own rules; any other kind
(plugins, Scale) gets the metadata rules only, with a DNS-1123 subdomain name and no namespace rule.
`validate_update` runs the metadata update rules (immutable name, namespace, uid,
creationTimestamp; no new finalizers once deleting: GC-7), then every create rule on `new`, then
the kind's update rules (immutable selectors, pod update limits, …). A Job's generated selector
and labels are checked on create only. Identical messages are
reported once, in order, as Kubernetes' error aggregation does.

The returned errors belong to the caller; turn them into a 422 with
`kubelite.api.errors.invalid_error`. Validation never mutates its arguments.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kubelite.api.errors import FieldError
from kubelite.api.meta import Object
from kubelite.api.validation import names
from kubelite.api.validation.objectmeta import validate_object_meta, validate_object_meta_update

__all__ = ["validate_create", "validate_update"]

Create = Callable[[Any], list[FieldError]]
Update = Callable[[Any, Any], list[FieldError]]


@dataclass(frozen=True, slots=True)
class _Rules:
    create: Create
    update: Update | None = None
    has_metadata_rules: bool = True
    recheck: Create | None = None
    """The create rules `validate_update` re-runs on the new object, when not all of them (a Job's
    generated selector is checked on create only)."""


def validate_create(obj: Object) -> list[FieldError]:
    rules = _rules_for(obj)
    return _unique(rules.create(obj))


def validate_update(new: Object, old: Object) -> list[FieldError]:
    rules = _rules_for(new)
    errors = validate_object_meta_update(new.metadata, old.metadata) if rules.has_metadata_rules else []
    errors += (rules.recheck or rules.create)(new)
    if rules.update is not None and type(old) is type(new):
        errors += rules.update(new, old)
    return _unique(errors)


def _generic(obj: Object) -> list[FieldError]:
    return validate_object_meta(obj.metadata, namespaced=None, name_fn=names.subdomain_name)


def _rules_for(obj: Object) -> _Rules:
    return _table().get(type(obj), _Rules(_generic))


@functools.cache
def _table() -> dict[type[Object], _Rules]:
    """The per-kind rules, imported on first use so that importing this package stays cheap."""
    return {**_core_rules(), **_other_rules()}


def _core_rules() -> dict[type[Object], _Rules]:
    from kubelite.api import core
    from kubelite.api.validation import (
        cluster,
        configdata,
        endpoints,
        events,
        pod,
        replicationcontroller,
        service,
    )

    return {
        core.Pod: _Rules(pod.validate_pod, pod.validate_pod_update),
        core.Binding: _Rules(pod.validate_binding, has_metadata_rules=False),
        core.ReplicationController: _Rules(replicationcontroller.validate_replication_controller),
        core.Service: _Rules(service.validate_service, service.validate_service_update),
        core.Node: _Rules(cluster.validate_node, cluster.validate_node_update),
        core.Namespace: _Rules(cluster.validate_namespace),
        core.ConfigMap: _Rules(configdata.validate_config_map, configdata.validate_config_map_update),
        core.Secret: _Rules(configdata.validate_secret, configdata.validate_secret_update),
        core.Event: _Rules(events.validate_event),
        core.Endpoints: _Rules(endpoints.validate_endpoints),
    }


def _other_rules() -> dict[type[Object], _Rules]:
    from kubelite.api.apps import DaemonSet, Deployment, ReplicaSet
    from kubelite.api.batch import Job
    from kubelite.api.coordination import Lease
    from kubelite.api.discovery import EndpointSlice
    from kubelite.api.policy import Eviction, PodDisruptionBudget
    from kubelite.api.validation import apps, batch, daemonsets, endpointslices, policy

    return {
        Deployment: _Rules(apps.validate_deployment, apps.validate_deployment_update),
        ReplicaSet: _Rules(apps.validate_replica_set, apps.validate_replica_set_update),
        DaemonSet: _Rules(daemonsets.validate_daemon_set, daemonsets.validate_daemon_set_update),
        Job: _Rules(batch.validate_new_job, batch.validate_job_update, recheck=batch.validate_job),
        Lease: _Rules(policy.validate_lease),
        EndpointSlice: _Rules(
            endpointslices.validate_endpoint_slice, endpointslices.validate_endpoint_slice_update
        ),
        PodDisruptionBudget: _Rules(
            policy.validate_pod_disruption_budget, policy.validate_pod_disruption_budget_update
        ),
        Eviction: _Rules(policy.validate_eviction, has_metadata_rules=False),
    }


def _unique(errors: Iterable[FieldError]) -> list[FieldError]:
    seen: set[str] = set()
    unique: list[FieldError] = []
    for error in errors:
        text = str(error)
        if text not in seen:
            seen.add(text)
            unique.append(error)
    return unique
