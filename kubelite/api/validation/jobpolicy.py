"""Validation of a Job's `spec.podFailurePolicy` (JOB-15), as upstream's batch validation words it.

- at most 20 rules; each names an action among `Count`, `FailIndex`, `FailJob`, `Ignore`
  (`FailIndex` only with `backoffLimitPerIndex`) and exactly one of `onExitCodes` and
  `onPodConditions`;
- `onExitCodes`: operator `In` or `NotIn`; a `containerName`, when given, names one of the template's
  containers or init containers; 1 to 255 values, strictly ascending (each duplicate reported, and
  "must be ordered" once), each within Go's int32, none of them 0 with `In`;
- `onPodConditions`: at most 20 patterns, each with a qualified-name `type` and a `status` of `True`,
  `False` or `Unknown` (defaulting fills `True`).

The restart policy (`Never` only) and the pod replacement policy (`Failed` only) that a policy
requires are checked with the rest of the Job in `batch.py`. Pure; nothing is mutated.
"""

from __future__ import annotations

import itertools

from kubelite.api.batch.job import (
    JobSpec,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
)
from kubelite.api.errors import FieldError, duplicate, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import in_go_range, messages, shown

MAX_RULES = 20
MAX_EXIT_CODE_VALUES = 255
MAX_CONDITION_PATTERNS = 20
ACTIONS = ("Count", "FailIndex", "FailJob", "Ignore")
OPERATORS = ("In", "NotIn")
STATUSES = ("False", "True", "Unknown")
BOTH = "specifying both OnExitCodes and OnPodConditions is not supported"
NEITHER = "specifying one of OnExitCodes and OnPodConditions is required"


def too_many(actual: int, path: str, limit: int) -> FieldError:
    return FieldError("FieldValueTooMany", path, f"must have at most {limit} items", actual)


def valid_values(values: tuple[str, ...]) -> str:
    """Go's `%q` of a string list: `valid values: ["In" "NotIn"]`."""
    return "valid values: [" + " ".join(f'"{v}"' for v in values) + "]"


def validate_pod_failure_policy(spec: JobSpec, path: str) -> list[FieldError]:
    policy = spec.pod_failure_policy
    if policy is None:
        return []
    rules_path = f"{path}.rules"
    errors = [too_many(len(policy.rules), rules_path, MAX_RULES)] if len(policy.rules) > MAX_RULES else []
    pod = spec.template.spec
    containers = {c.name for c in pod.containers} | {c.name for c in pod.init_containers}
    for i, rule in enumerate(policy.rules):
        errors += _rule(spec, rule, f"{rules_path}[{i}]", containers)
    return errors


def _rule(spec: JobSpec, rule: PodFailurePolicyRule, path: str, containers: set[str]) -> list[FieldError]:
    errors = _action(spec, rule.action, f"{path}.action")
    if rule.on_exit_codes is not None:
        errors += _exit_codes(rule.on_exit_codes, f"{path}.onExitCodes", containers)
    if rule.on_pod_conditions:
        errors += _conditions(rule.on_pod_conditions, f"{path}.onPodConditions")
    if rule.on_exit_codes is not None and rule.on_pod_conditions:
        errors.append(FieldError("FieldValueInvalid", path, BOTH))
    if rule.on_exit_codes is None and not rule.on_pod_conditions:
        errors.append(FieldError("FieldValueInvalid", path, NEITHER))
    return errors


def _action(spec: JobSpec, action: str, path: str) -> list[FieldError]:
    if not action:
        return [required(path, valid_values(ACTIONS))]
    if action == "FailIndex":
        if spec.backoff_limit_per_index is None:
            return [invalid(action, path, "requires the backoffLimitPerIndex to be set")]
        return []
    return [] if action in ACTIONS else [not_supported(action, path, ACTIONS)]


def _exit_codes(
    requirement: PodFailurePolicyOnExitCodesRequirement, path: str, containers: set[str]
) -> list[FieldError]:
    errors = _operator(requirement.operator, f"{path}.operator")
    name = requirement.container_name
    if name is not None and name not in containers:
        detail = "must be one of the container or initContainer names in the pod template"
        errors.append(invalid(name, f"{path}.containerName", detail))
    return errors + _values(requirement, f"{path}.values")


def _operator(operator: str, path: str) -> list[FieldError]:
    if not operator:
        return [required(path, valid_values(OPERATORS))]
    return [] if operator in OPERATORS else [not_supported(operator, path, OPERATORS)]


def _values(requirement: PodFailurePolicyOnExitCodesRequirement, path: str) -> list[FieldError]:
    values = requirement.values
    errors: list[FieldError] = []
    if not values:
        errors.append(invalid(shown(values), path, "at least one value is required"))
    elif len(values) > MAX_EXIT_CODE_VALUES:
        errors.append(too_many(len(values), path, MAX_EXIT_CODE_VALUES))
    seen: set[int] = set()
    for j, value in enumerate(values):
        errors += in_go_range(value, f"{path}[{j}]")
        if requirement.operator == "In" and value == 0:
            errors.append(invalid(value, f"{path}[{j}]", "must not be 0 for the In operator"))
        if value in seen:
            errors.append(duplicate(value, f"{path}[{j}]"))
        seen.add(value)
    if any(a > b for a, b in itertools.pairwise(values)):
        errors.append(invalid(shown(values), path, "must be ordered"))
    return errors


def _conditions(patterns: list[PodFailurePolicyOnPodConditionsPattern], path: str) -> list[FieldError]:
    errors = (
        [too_many(len(patterns), path, MAX_CONDITION_PATTERNS)]
        if len(patterns) > MAX_CONDITION_PATTERNS
        else []
    )
    for j, pattern in enumerate(patterns):
        errors += messages(pattern.type, f"{path}[{j}].type", names.is_qualified_name(pattern.type))
        status_path = f"{path}[{j}].status"
        if not pattern.status:
            errors.append(required(status_path, valid_values(STATUSES)))
        elif pattern.status not in STATUSES:
            errors.append(not_supported(pattern.status, status_path, STATUSES))
    return errors
