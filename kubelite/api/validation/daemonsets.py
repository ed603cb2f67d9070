"""Validation of apps/v1 DaemonSets (upstream's `ValidateDaemonSet`).

A DNS-1123 subdomain name; a required, valid, non-empty selector (`empty selector is invalid for
daemonset`) that matches the template labels and never changes after create; a template that
restarts `Always` and sets no `activeDeadlineSeconds`; `minReadySeconds` and `revisionHistoryLimit`
≥ 0; `updateStrategy` `OnDelete`, or `RollingUpdate` whose `maxUnavailable`/`maxSurge` are ints or
percentages up to 100% with exactly one of them non-zero (`may not be set when maxUnavailable is
non-zero`, `cannot be 0 when maxSurge is 0`). Validation runs after defaulting, so a RollingUpdate
strategy without parameters is an error. Pure functions.
"""

from __future__ import annotations

from kubelite.api.apps.daemonset import DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet
from kubelite.api.errors import FieldError, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import immutable, nonnegative, shown
from kubelite.api.validation.objectmeta import validate_object_meta
from kubelite.api.validation.workloads import (
    int_or_percent_errors,
    int_or_percent_value,
    percent_above_100,
    replica_template,
    selector_and_template,
)


def validate_daemon_set(daemon_set: DaemonSet) -> list[FieldError]:
    spec = daemon_set.spec
    errors = validate_object_meta(daemon_set.metadata, namespaced=True, name_fn=names.subdomain_name)
    selector_errors, template_ok = selector_and_template(spec.selector, spec.template, "spec", "daemonset")
    errors += selector_errors
    if template_ok:
        errors += replica_template(spec.template, "spec.template", "DaemonSet")
    errors += nonnegative(spec.min_ready_seconds, "spec.minReadySeconds")
    errors += _update_strategy(spec.update_strategy, "spec.updateStrategy")
    return errors + nonnegative(spec.revision_history_limit, "spec.revisionHistoryLimit")


def validate_daemon_set_update(new: DaemonSet, old: DaemonSet) -> list[FieldError]:
    return immutable(new.spec.selector, old.spec.selector, "spec.selector")


def _update_strategy(strategy: DaemonSetUpdateStrategy, path: str) -> list[FieldError]:
    if strategy.type == "OnDelete":
        return []
    if strategy.type != "RollingUpdate":
        return [not_supported(shown(strategy), path, ("RollingUpdate", "OnDelete"))]
    if strategy.rolling_update is None:
        return [required(f"{path}.rollingUpdate")]
    return _rolling_update(strategy.rolling_update, f"{path}.rollingUpdate")


def _rolling_update(rolling: RollingUpdateDaemonSet, path: str) -> list[FieldError]:
    unavailable, surge = rolling.max_unavailable, rolling.max_surge
    errors = int_or_percent_errors(unavailable, f"{path}.maxUnavailable")
    errors += int_or_percent_errors(surge, f"{path}.maxSurge")
    errors += percent_above_100(unavailable, f"{path}.maxUnavailable")
    errors += percent_above_100(surge, f"{path}.maxSurge")
    has_unavailable, has_surge = int_or_percent_value(unavailable) != 0, int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errors.append(
            invalid(shown(surge), f"{path}.maxSurge", "may not be set when maxUnavailable is non-zero")
        )
    elif not has_unavailable and not has_surge:
        errors.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errors
