"""Rules shared by the controllers' kinds (Deployment, ReplicaSet, ReplicationController, Job).

- `selector_and_template`: the structured selector is required (`Required value`), valid (API-9),
  not empty (`empty selector is invalid for <kind>`) and must select the template's labels
  (`` `selector` does not match template `labels` ``); an unusable selector is reported as
  `invalid label selector` and the template is then not checked, as in Kubernetes.
- `replica_template`: a pod template run by a replica controller restarts `Always` and has no
  `activeDeadlineSeconds`.
- `int_or_percent_errors`: `maxSurge`-style values are non-negative ints or `N%` strings.
Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.pod import PodTemplateSpec
from kubelite.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubelite.api.meta import LabelSelector
from kubelite.api.validation import names
from kubelite.api.validation.fields import int_or_percent, messages, nonnegative, shown
from kubelite.api.validation.podspec import validate_pod_template
from kubelite.api.validation.selectors import MISMATCH, is_empty, selector_matches, validate_label_selector


def selector_and_template(
    selector: LabelSelector | None, template: PodTemplateSpec, path: str, kind_word: str
) -> tuple[list[FieldError], bool]:
    """Selector errors, the template-match error, and whether the template should be validated."""
    selector_path = f"{path}.selector"
    errors: list[FieldError] = []
    if selector is None:
        errors.append(required(selector_path))
    else:
        syntax = validate_label_selector(selector, selector_path)
        errors += syntax
        if is_empty(selector):
            errors.append(
                invalid(shown(selector), selector_path, f"empty selector is invalid for {kind_word}")
            )
        if syntax:
            return [*errors, invalid(shown(selector), selector_path, "invalid label selector")], False
        if is_empty(selector):
            return errors, True
    labels = template.metadata.labels
    if not selector_matches(selector, labels):
        errors.append(invalid(shown(labels), f"{path}.template.metadata.labels", MISMATCH))
    return errors, True


def replica_template(template: PodTemplateSpec, path: str, kind: str) -> list[FieldError]:
    errors = validate_pod_template(template, path)
    policy = template.spec.restart_policy
    if policy not in ("", "Always"):
        errors.append(not_supported(policy, f"{path}.spec.restartPolicy", ("Always",)))
    if template.spec.active_deadline_seconds is not None:
        detail = f"activeDeadlineSeconds in {kind} is not Supported"
        errors.append(forbidden(f"{path}.spec.activeDeadlineSeconds", detail))
    return errors


def int_or_percent_errors(value: int | str | None, path: str) -> list[FieldError]:
    if value is None:
        return []
    if isinstance(value, int):
        return nonnegative(value, path)
    return messages(value, path, names.is_valid_percent(value))


def percent_above_100(value: int | str | None, path: str) -> list[FieldError]:
    if not isinstance(value, str):
        return []
    number = int_or_percent(value)
    if number is None or number <= 100:
        return []
    return [invalid(value, path, "must not be greater than 100%")]


def int_or_percent_value(value: int | str | None) -> int:
    """Kubernetes' `getIntOrPercentValue`: the number, 0 when unset or malformed."""
    if value is None:
        return 0
    number = int_or_percent(value)
    if number is not None:
        return number
    return int(value) if isinstance(value, str) and value.isdigit() else 0
