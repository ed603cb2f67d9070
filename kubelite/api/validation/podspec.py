"""Validation of a `PodSpec` and of the pod templates embedded in workloads.

`validate_pod_spec` checks volumes, containers and init containers, `restartPolicy` (Always,
OnFailure, Never), `dnsPolicy`, the node selector, affinity, tolerations, names of the node,
service account, host and subdomain, and the bounds of `terminationGracePeriodSeconds` (≥ 0) and
`activeDeadlineSeconds` (1 … 2³¹−1). Fields that defaulting fills in (`restartPolicy`,
`dnsPolicy`, `terminationGracePeriodSeconds`) are accepted when empty.

`validate_pod_template` is Kubernetes' `ValidatePodTemplateSpec`: template labels (reported at
`<path>.labels`, as Kubernetes does), annotations, the spec, and no ephemeral containers.
Pure functions.
"""

from __future__ import annotations

import functools

import msgspec

from kubelite.api.core.pod import PodSpec, PodTemplateSpec
from kubelite.api.errors import FieldError, forbidden, invalid, not_supported
from kubelite.api.validation import names
from kubelite.api.validation.containers import validate_containers, validate_init_containers
from kubelite.api.validation.fields import messages, nonnegative
from kubelite.api.validation.objectmeta import validate_annotations, validate_labels
from kubelite.api.validation.scheduling import validate_affinity, validate_tolerations
from kubelite.api.validation.volumes import validate_volumes

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
MAX_INT32 = 2**31 - 1


_SPEC_ENCODER = msgspec.json.Encoder(order="deterministic")
_SPEC_DECODER = msgspec.json.Decoder(PodSpec)


def validate_pod_spec(spec: PodSpec, path: str) -> list[FieldError]:
    """The spec's errors. Memoised by the spec's canonical encoding: pods stamped from one template
    share their spec, so a ReplicaSet creating 1,000 pods validates the spec once. Validation is a
    pure function of the spec, so the memo never changes an outcome."""
    return list(_validate_encoded(_SPEC_ENCODER.encode(spec), path))


@functools.lru_cache(maxsize=2048)
def _validate_encoded(encoded: bytes, path: str) -> tuple[FieldError, ...]:
    return tuple(_validate_pod_spec(_SPEC_DECODER.decode(encoded), path))


def _validate_pod_spec(spec: PodSpec, path: str) -> list[FieldError]:
    errors = nonnegative(spec.termination_grace_period_seconds, f"{path}.terminationGracePeriodSeconds")
    volumes, volume_errors = validate_volumes(spec.volumes, f"{path}.volumes")
    errors += volume_errors
    errors += validate_containers(spec.containers, volumes, f"{path}.containers")
    errors += validate_init_containers(
        spec.init_containers, spec.containers, volumes, f"{path}.initContainers"
    )
    errors += _enum(spec.restart_policy, RESTART_POLICIES, f"{path}.restartPolicy")
    errors += _enum(spec.dns_policy, DNS_POLICIES, f"{path}.dnsPolicy")
    errors += validate_labels(spec.node_selector, f"{path}.nodeSelector")
    errors += validate_affinity(spec.affinity, f"{path}.affinity")
    errors += _names(spec, path)
    errors += _active_deadline(spec.active_deadline_seconds, f"{path}.activeDeadlineSeconds")
    return errors + validate_tolerations(spec.tolerations, f"{path}.tolerations")


def validate_pod_template(template: PodTemplateSpec, path: str) -> list[FieldError]:
    errors = validate_labels(template.metadata.labels, f"{path}.labels")
    errors += validate_annotations(template.metadata.annotations, f"{path}.annotations")
    errors += validate_pod_spec(template.spec, f"{path}.spec")
    if template.spec.ephemeral_containers:
        detail = "ephemeral containers not allowed in pod template"
        errors.append(forbidden(f"{path}.spec.ephemeralContainers", detail))
    return errors


def _enum(value: str, allowed: tuple[str, ...], path: str) -> list[FieldError]:
    return [not_supported(value, path, allowed)] if value and value not in allowed else []


def _names(spec: PodSpec, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    checks = (
        ("serviceAccountName", spec.service_account_name, names.subdomain_name),
        ("nodeName", spec.node_name, names.subdomain_name),
        ("hostname", spec.hostname, names.label_name),
        ("subdomain", spec.subdomain, names.label_name),
        ("priorityClassName", spec.priority_class_name, names.subdomain_name),
    )
    for field, value, rule in checks:
        if value:
            errors += messages(value, f"{path}.{field}", rule(value, False))
    return errors


def _active_deadline(value: int | None, path: str) -> list[FieldError]:
    if value is None or 1 <= value <= MAX_INT32:
        return []
    return [invalid(value, path, names.inclusive_range_error(1, MAX_INT32))]
