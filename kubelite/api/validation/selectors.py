"""Validation of meta/v1 `LabelSelector`s and the "selector matches template labels" rule.

API-9: `In`/`NotIn` need values, `Exists`/`DoesNotExist` forbid them, any other operator is
invalid; keys are qualified names and values label values. `selector_matches` answers whether a
selector selects a label set, with Kubernetes' semantics (`{}` selects everything, `None` nothing);
workload validators use it to report `MISMATCH`. Pure functions.
"""

from __future__ import annotations

from kubelite.api.errors import FieldError, forbidden, invalid, required
from kubelite.api.meta import LabelSelector, LabelSelectorRequirement
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages
from kubelite.api.validation.objectmeta import validate_labels

MISMATCH = "`selector` does not match template `labels`"


def validate_label_selector(selector: LabelSelector | None, path: str) -> list[FieldError]:
    if selector is None:
        return []
    errors = validate_labels(selector.match_labels, f"{path}.matchLabels")
    for index, requirement in enumerate(selector.match_expressions):
        errors += validate_requirement(requirement, f"{path}.matchExpressions[{index}]")
    return errors


def validate_requirement(requirement: LabelSelectorRequirement, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    operator, values = requirement.operator, requirement.values
    if operator in ("In", "NotIn"):
        if not values:
            errors.append(required(f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            errors.append(forbidden(f"{path}.values", detail))
    else:
        errors.append(invalid(operator, f"{path}.operator", "not a valid selector operator"))
    errors += messages(requirement.key, f"{path}.key", names.is_qualified_name(requirement.key))
    for index, value in enumerate(values):
        errors += messages(value, f"{path}.values[{index}]", names.is_label_value(value))
    return errors


def is_empty(selector: LabelSelector) -> bool:
    return not selector.match_labels and not selector.match_expressions


def selector_matches(selector: LabelSelector | None, labels: dict[str, str]) -> bool:
    if selector is None:
        return False
    if any(labels.get(key) != value for key, value in selector.match_labels.items()):
        return False
    return all(_requirement_matches(req, labels) for req in selector.match_expressions)


def _requirement_matches(requirement: LabelSelectorRequirement, labels: dict[str, str]) -> bool:
    present = requirement.key in labels
    match requirement.operator:
        case "In":
            return present and labels[requirement.key] in requirement.values
        case "NotIn":
            return not present or labels[requirement.key] not in requirement.values
        case "Exists":
            return present
        case _:
            return not present
