"""Validation of the cluster-scoped kinds: Nodes and Namespaces.

Node: a DNS-1123 subdomain name, no namespace; taints with a qualified-name key, a label-value
value, an effect (NoSchedule, PreferNoSchedule, NoExecute), unique by (key, effect) — reported
under `metadata.taints[i]`, as Kubernetes does; valid pod CIDRs; capacity and allocatable
quantities that parse and are non-negative. On update, `podCIDRs` and `providerID` may only go
from empty to set.

Namespace (API-6): a DNS-1123 label name, no namespace; `spec.finalizers` are qualified names or
standard finalizers (`kubernetes`). Pure functions.
"""

from __future__ import annotations

import ipaddress

from kubelite.api.core.namespace import Namespace
from kubelite.api.core.node import Node
from kubelite.api.errors import FieldError, forbidden, invalid
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages
from kubelite.api.validation.objectmeta import STANDARD_FINALIZERS, validate_object_meta
from kubelite.api.validation.resources import parsed_quantity
from kubelite.api.validation.scheduling import validate_taints

INVALID_CIDR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
_NODE_FIXED = 'node updates may not change {} except from "" to valid'


def validate_node(node: Node) -> list[FieldError]:
    errors = validate_object_meta(node.metadata, namespaced=False, name_fn=names.subdomain_name)
    errors += validate_taints(node.spec.taints, "metadata.taints")
    for index, cidr in enumerate(node.spec.pod_cidrs):
        try:
            ipaddress.ip_network(cidr)
        except ValueError:
            errors.append(invalid(cidr, f"spec.podCIDRs[{index}]", INVALID_CIDR))
    for field, values in (("capacity", node.status.capacity), ("allocatable", node.status.allocatable)):
        for name in sorted(values):
            errors += parsed_quantity(name, values[name], f"status.{field}.{name}")[1]
    return errors


def validate_node_update(new: Node, old: Node) -> list[FieldError]:
    errors: list[FieldError] = []
    if old.spec.pod_cidrs and old.spec.pod_cidrs != new.spec.pod_cidrs:
        errors.append(forbidden("spec.podCIDRs", _NODE_FIXED.format("podCIDR")))
    if old.spec.provider_id and old.spec.provider_id != new.spec.provider_id:
        errors.append(forbidden("spec.providerID", _NODE_FIXED.format("providerID")))
    return errors


def validate_namespace(namespace: Namespace) -> list[FieldError]:
    errors = validate_object_meta(namespace.metadata, namespaced=False, name_fn=names.label_name)
    path = "spec.finalizers"
    for finalizer in namespace.spec.finalizers:
        errors += messages(finalizer, path, names.is_qualified_name(finalizer))
        if "/" not in finalizer and finalizer not in STANDARD_FINALIZERS:
            detail = "name is neither a standard finalizer name nor is it fully qualified"
            errors.append(invalid(finalizer, path, detail))
    return errors
