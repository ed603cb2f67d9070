"""Validation of Pods on create and update, and of pod Bindings (SCH-8).

Create: metadata (DNS-1123 subdomain name, namespaced), the spec (`podspec.validate_pod_spec`),
and the pod-only rule that images carry no surrounding whitespace.

Update (Kubernetes' `ValidatePodUpdate`): containers may not be added or removed; besides
container and init-container images only these may change: `activeDeadlineSeconds` (set from nil,
or lowered, within 0 … 2³¹−1), `tolerations` (additions, and `tolerationSeconds` of existing
ones), `schedulingGates` (removals), and `terminationGracePeriodSeconds` from a negative value to 1.
Any other spec change gives `spec: Forbidden: pod updates may not change fields other than …`
followed by a short list of the changed fields (Kubernetes prints a Go struct diff there).
Status writes keep the stored spec, so they pass. Pure functions.
"""

from __future__ import annotations

import msgspec

from kubelite.api.core.binding import Binding
from kubelite.api.core.pod import Pod, PodSpec
from kubelite.api.core.scheduling import Toleration
from kubelite.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.containers import image_whitespace_errors
from kubelite.api.validation.objectmeta import validate_object_meta
from kubelite.api.validation.podspec import MAX_INT32, validate_pod_spec
from kubelite.api.validation.scheduling import validate_tolerations

UPDATABLE = ",".join(
    (
        "`spec.containers[*].image`",
        "`spec.initContainers[*].image`",
        "`spec.activeDeadlineSeconds`",
        "`spec.tolerations` (only additions to existing tolerations)",
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    )
)


def validate_pod(pod: Pod) -> list[FieldError]:
    errors = validate_object_meta(pod.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += validate_pod_spec(pod.spec, "spec")
    errors += image_whitespace_errors(pod.spec.containers, "spec.containers")
    return errors + image_whitespace_errors(pod.spec.init_containers, "spec.initContainers")


def validate_pod_update(new: Pod, old: Pod) -> list[FieldError]:
    for field, attribute in (("containers", "containers"), ("initContainers", "init_containers")):
        if len(getattr(new.spec, attribute)) != len(getattr(old.spec, attribute)):
            return [forbidden(f"spec.{field}", "pod updates may not add or remove containers")]
    errors, stop = _active_deadline_update(new.spec.active_deadline_seconds, old.spec.active_deadline_seconds)
    if stop:
        return errors
    errors += _only_added_tolerations(new.spec.tolerations, old.spec.tolerations, "spec.tolerations")
    errors += _only_removed_gates(new.spec, old.spec)
    if new.spec != old.spec:
        errors += _other_changes(new.spec, old.spec)
    return errors


def _active_deadline_update(new: int | None, old: int | None) -> tuple[list[FieldError], bool]:
    """Errors for the deadline change, and whether Kubernetes stops checking the update there."""
    path = "spec.activeDeadlineSeconds"
    if new is None:
        return (
            []
            if old is None
            else [invalid(None, path, "must not update from a positive integer to nil value")]
        ), False
    if not 0 <= new <= MAX_INT32:
        return [invalid(new, path, names.inclusive_range_error(0, MAX_INT32))], True
    if old is not None and old < new:
        return [invalid(new, path, "must be less than or equal to previous value")], True
    return [], False


def _only_added_tolerations(new: list[Toleration], old: list[Toleration], path: str) -> list[FieldError]:
    kept = [_without_seconds(toleration) for toleration in new]
    for toleration in old:
        if _without_seconds(toleration) not in kept:
            return [forbidden(path, "existing toleration can not be modified except its tolerationSeconds")]
    return validate_tolerations(new, path)


def _without_seconds(toleration: Toleration) -> Toleration:
    return msgspec.structs.replace(toleration, toleration_seconds=None)


def _only_removed_gates(new: PodSpec, old: PodSpec) -> list[FieldError]:
    old_gates = {gate.name for gate in old.scheduling_gates}
    return [
        forbidden(
            f"spec.schedulingGates[{index}].name",
            f"only deletion is allowed, but found new scheduling gate '{gate.name}'",
        )
        for index, gate in enumerate(new.scheduling_gates)
        if gate.name not in old_gates
    ]


def _other_changes(new: PodSpec, old: PodSpec) -> list[FieldError]:
    munged = _munged(new, old)
    if munged == old:
        return []
    return [
        forbidden("spec", f"pod updates may not change fields other than {UPDATABLE}\n{_diff(old, munged)}")
    ]


def _munged(new: PodSpec, old: PodSpec) -> PodSpec:
    """`new` with the fields a pod update may change put back to their old values."""
    grace = new.termination_grace_period_seconds
    old_grace = old.termination_grace_period_seconds
    if old_grace is not None and old_grace < 0 and grace == 1:
        grace = old_grace
    return msgspec.structs.replace(
        new,
        containers=[
            msgspec.structs.replace(c, image=o.image)
            for c, o in zip(new.containers, old.containers, strict=True)
        ],
        init_containers=[
            msgspec.structs.replace(c, image=o.image)
            for c, o in zip(new.init_containers, old.init_containers, strict=True)
        ],
        active_deadline_seconds=old.active_deadline_seconds,
        tolerations=old.tolerations,
        scheduling_gates=old.scheduling_gates,
        termination_grace_period_seconds=grace,
    )


def _diff(old: PodSpec, new: PodSpec) -> str:
    before = msgspec.to_builtins(old)
    after = msgspec.to_builtins(new)
    lines: list[str] = []
    for key in sorted(before.keys() | after.keys()):
        if before.get(key) != after.get(key):
            lines.append(f"- {key}: {msgspec.json.encode(before.get(key)).decode()}")
            lines.append(f"+ {key}: {msgspec.json.encode(after.get(key)).decode()}")
    return "\n".join(lines)


def validate_binding(binding: Binding) -> list[FieldError]:
    """SCH-8: the target is a Node (kind `Node` or empty) and has a name."""
    errors: list[FieldError] = []
    target = binding.target
    if target.kind and target.kind != "Node":
        errors.append(not_supported(target.kind, "target.kind", ("Node", "<empty>")))
    if not target.name:
        errors.append(required("target.name"))
    return errors
