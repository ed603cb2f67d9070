"""Validation of scheduling constraints: tolerations, node taints and affinity.

- Tolerations: a key is a qualified name; an empty key needs operator `Exists`; `Exists` takes no
  value; `Equal` (or empty) values are label values; `tolerationSeconds` needs effect `NoExecute`;
  effects are `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
- Taints (on Nodes): key, value and a required effect, unique by (key, effect). Kubernetes reports
  them under `metadata.taints[i]`, not `spec.taints[i]`; callers pass the path they want.
- Affinity: node selector terms and requirements (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`,
  `Lt`; `matchFields` only on `metadata.name`), preferred weights 1–100, pod (anti-)affinity terms.
Messages are Kubernetes' (`pkg/apis/core/validation`). Pure functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubelite.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages, shown
from kubelite.api.validation.selectors import validate_label_selector

if TYPE_CHECKING:
    from kubelite.api.core.node import Taint
    from kubelite.api.core.scheduling import (
        Affinity,
        NodeAffinity,
        NodeSelector,
        NodeSelectorRequirement,
        NodeSelectorTerm,
        PodAffinityTerm,
        Toleration,
        WeightedPodAffinityTerm,
    )

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
_EMPTY_KEY = 'operator must be Exists when `key` is empty, which means "match all values and all keys"'


def validate_tolerations(tolerations: list[Toleration], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, toleration in enumerate(tolerations):
        errors += _toleration(toleration, f"{path}[{index}]")
    return errors


def _toleration(toleration: Toleration, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    key, operator, effect = toleration.key, toleration.operator, toleration.effect
    if key:
        errors += messages(key, f"{path}.key", names.is_qualified_name(key))
    if not key and operator != "Exists":
        errors.append(invalid(operator, f"{path}.operator", _EMPTY_KEY))
    if toleration.toleration_seconds is not None and effect != "NoExecute":
        detail = "effect must be 'NoExecute' when `tolerationSeconds` is set"
        errors.append(invalid(effect, f"{path}.effect", detail))
    errors += _toleration_operator(toleration, f"{path}.operator")
    if effect:
        errors += taint_effect(effect, f"{path}.effect")
    return errors


def _toleration_operator(toleration: Toleration, path: str) -> list[FieldError]:
    operator, value = toleration.operator, toleration.value
    if operator in ("Equal", ""):
        problems = names.is_label_value(value)
        return [invalid(value, path, ";".join(problems))] if problems else []
    if operator == "Exists":
        detail = "value must be empty when `operator` is 'Exists'"
        return [invalid(shown(toleration), path, detail)] if value else []
    return [not_supported(operator, path, ("Equal", "Exists"))]


def taint_effect(effect: str, path: str) -> list[FieldError]:
    return [] if effect in TAINT_EFFECTS else [not_supported(effect, path, TAINT_EFFECTS)]


def validate_taints(taints: list[Taint], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for index, taint in enumerate(taints):
        item = f"{path}[{index}]"
        errors += messages(taint.key, f"{item}.key", names.is_qualified_name(taint.key))
        problems = names.is_label_value(taint.value)
        if problems:
            errors.append(invalid(taint.value, f"{item}.value", ";".join(problems)))
        errors += (
            taint_effect(taint.effect, f"{item}.effect") if taint.effect else [required(f"{item}.effect")]
        )
        if (taint.key, taint.effect) in seen:
            detail = "taints must be unique by key and effect pair"
            errors.append(FieldError("FieldValueDuplicate", item, detail, shown(taint)))
            continue
        seen.add((taint.key, taint.effect))
    return errors


def validate_affinity(affinity: Affinity | None, path: str) -> list[FieldError]:
    if affinity is None:
        return []
    errors: list[FieldError] = []
    if affinity.node_affinity is not None:
        errors += _node_affinity(affinity.node_affinity, f"{path}.nodeAffinity")
    for name, pod_affinity in (
        ("podAffinity", affinity.pod_affinity),
        ("podAntiAffinity", affinity.pod_anti_affinity),
    ):
        if pod_affinity is None:
            continue
        where = f"{path}.{name}"
        for index, term in enumerate(pod_affinity.required_during_scheduling_ignored_during_execution):
            errors += _pod_affinity_term(
                term, f"{where}.requiredDuringSchedulingIgnoredDuringExecution[{index}]"
            )
        preferred = pod_affinity.preferred_during_scheduling_ignored_during_execution
        errors += _weighted_terms(preferred, f"{where}.preferredDuringSchedulingIgnoredDuringExecution")
    return errors


def _node_affinity(affinity: NodeAffinity, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    required_terms = affinity.required_during_scheduling_ignored_during_execution
    if required_terms is not None:
        errors += validate_node_selector(
            required_terms, f"{path}.requiredDuringSchedulingIgnoredDuringExecution"
        )
    where = f"{path}.preferredDuringSchedulingIgnoredDuringExecution"
    for index, preferred in enumerate(affinity.preferred_during_scheduling_ignored_during_execution):
        errors += _weight(preferred.weight, f"{where}[{index}].weight")
        errors += validate_node_selector_term(preferred.preference, f"{where}[{index}].preference")
    return errors


def validate_node_selector(selector: NodeSelector, path: str) -> list[FieldError]:
    terms_path = f"{path}.nodeSelectorTerms"
    if not selector.node_selector_terms:
        return [required(terms_path, "must have at least one node selector term")]
    errors: list[FieldError] = []
    for index, term in enumerate(selector.node_selector_terms):
        errors += validate_node_selector_term(term, f"{terms_path}[{index}]")
    return errors


def validate_node_selector_term(term: NodeSelectorTerm, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, requirement in enumerate(term.match_expressions):
        errors += _node_requirement(requirement, f"{path}.matchExpressions[{index}]")
    for index, requirement in enumerate(term.match_fields):
        errors += _node_field_requirement(requirement, f"{path}.matchFields[{index}]")
    return errors


def _node_requirement(requirement: NodeSelectorRequirement, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    operator, count = requirement.operator, len(requirement.values)
    if operator in ("In", "NotIn") and count == 0:
        errors.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist") and count > 0:
        detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
        errors.append(forbidden(f"{path}.values", detail))
    elif operator in ("Gt", "Lt") and count != 1:
        detail = "must be specified single value when `operator` is 'Lt' or 'Gt'"
        errors.append(required(f"{path}.values", detail))
    elif operator not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"):
        errors.append(invalid(operator, f"{path}.operator", "not a valid selector operator"))
    return errors + messages(requirement.key, f"{path}.key", names.is_qualified_name(requirement.key))


def _node_field_requirement(requirement: NodeSelectorRequirement, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if requirement.operator not in ("In", "NotIn"):
        errors.append(invalid(requirement.operator, f"{path}.operator", "not a valid selector operator"))
    elif len(requirement.values) != 1:
        detail = "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"
        errors.append(required(f"{path}.values", detail))
    if requirement.key != "metadata.name":
        return [*errors, invalid(requirement.key, f"{path}.key", "not a valid field selector key")]
    for index, value in enumerate(requirement.values):
        errors += messages(value, f"{path}.values[{index}]", names.subdomain_name(value, False))
    return errors


def _weight(weight: int, path: str) -> list[FieldError]:
    return [] if 0 < weight <= 100 else [invalid(weight, path, "must be in the range 1-100")]


def _weighted_terms(terms: list[WeightedPodAffinityTerm], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, weighted in enumerate(terms):
        errors += _weight(weighted.weight, f"{path}[{index}].weight")
        errors += _pod_affinity_term(weighted.pod_affinity_term, f"{path}[{index}].podAffinityTerm")
    return errors


def _pod_affinity_term(term: PodAffinityTerm, path: str) -> list[FieldError]:
    errors = validate_label_selector(term.label_selector, f"{path}.labelSelector")
    errors += validate_label_selector(term.namespace_selector, f"{path}.namespaceSelector")
    for namespace in term.namespaces:
        errors += messages(namespace, f"{path}.namespace", names.label_name(namespace, False))
    if not term.topology_key:
        errors.append(required(f"{path}.topologyKey", "can not be empty"))
    return errors + messages(
        term.topology_key, f"{path}.topologyKey", names.is_qualified_name(term.topology_key)
    )
