"""Defaulting: fill the unset fields of a built-in object in place, as Kubernetes does.

`apply_defaults(obj, creating=...)` dispatches on the object's type; kinds without defaults (and
kinds registered by plugins) are left alone. The caller owns `obj` and must pass a private copy.
It runs on create and on update, after the apiserver has set `metadata.uid` and before
validation. Defaulting is idempotent: applying it twice changes nothing the second time, so an
update that resends an object without its defaults is not a spec change.

A few defaults are Kubernetes create-time rules rather than defaulting proper, and happen only
when `creating` is true: the Namespace `kubernetes` finalizer and a Job's generated selector and
template labels. When `creating` is None it is inferred from the object: an object without a
`resourceVersion` and without a `deletionTimestamp` is taken to be new (the apiserver rejects a
create that carries a resourceVersion). Callers that know should pass it explicitly.

Which defaults apply to which kind is documented in the per-group modules: `pod` and `container`
(KUB-1, KUB-2, NODE-10), `core` (Service, Namespace, Node, Secret, ReplicationController RS-11,
Endpoints, EndpointSlice), `apps` (DEP-1, RS-1, DaemonSet) and `batch` (JOB-1).
"""

from __future__ import annotations

from kubelite.api.apps import DaemonSet, Deployment, ReplicaSet
from kubelite.api.batch import Job
from kubelite.api.core import Endpoints, Namespace, Node, Pod, ReplicationController, Secret, Service
from kubelite.api.defaults.apps import default_daemon_set, default_deployment, default_replica_set
from kubelite.api.defaults.batch import default_job
from kubelite.api.defaults.container import image_pull_policy
from kubelite.api.defaults.core import (
    default_endpoint_slice,
    default_endpoints,
    default_namespace,
    default_node,
    default_replication_controller,
    default_secret,
    default_service,
)
from kubelite.api.defaults.pod import default_pod, default_pod_spec
from kubelite.api.discovery import EndpointSlice
from kubelite.api.meta import Object

__all__ = ["apply_defaults", "default_pod_spec", "image_pull_policy", "is_new"]


def is_new(obj: Object) -> bool:
    """Whether `obj` looks like an object being created (no resourceVersion, not being deleted)."""
    meta = obj.metadata
    return not meta.resource_version and meta.deletion_timestamp is None


def apply_defaults(obj: Object, *, creating: bool | None = None) -> None:
    """Fill `obj`'s unset fields in place; see the module docstring."""
    new = is_new(obj) if creating is None else creating
    match obj:
        case Pod():
            default_pod(obj)
        case Deployment():
            default_deployment(obj)
        case ReplicaSet():
            default_replica_set(obj)
        case DaemonSet():
            default_daemon_set(obj)
        case Job():
            default_job(obj, new)
        case ReplicationController():
            default_replication_controller(obj)
        case Service():
            default_service(obj)
        case Namespace():
            default_namespace(obj, new)
        case Node():
            default_node(obj)
        case Secret():
            default_secret(obj)
        case Endpoints():
            default_endpoints(obj)
        case EndpointSlice():
            default_endpoint_slice(obj)
