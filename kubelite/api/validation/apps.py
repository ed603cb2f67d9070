"""Validation of apps/v1 Deployments (DEP-2) and ReplicaSets (RS-1).

Both: DNS-1123 subdomain names; `replicas` and `minReadySeconds` ≥ 0; a required, valid, non-empty
selector that matches the template labels and never changes after create (`field is immutable`);
a template that restarts `Always` and sets no `activeDeadlineSeconds`.

Deployments also: `revisionHistoryLimit` ≥ 0; `progressDeadlineSeconds` ≥ 0 and greater than
`minReadySeconds`; strategy `Recreate` (without `rollingUpdate`) or `RollingUpdate` whose
`maxSurge`/`maxUnavailable` are ints or percentages, not both 0, with `maxUnavailable` ≤ 100%.
Validation runs after defaulting, so a RollingUpdate strategy without parameters is an error.
"""

from __future__ import annotations

from kubelite.api.apps.deployment import Deployment, DeploymentStrategy
from kubelite.api.apps.replicaset import ReplicaSet
from kubelite.api.errors import FieldError, forbidden, invalid, not_supported, required
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


def validate_deployment(deployment: Deployment) -> list[FieldError]:
    spec = deployment.spec
    errors = validate_object_meta(deployment.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += nonnegative(spec.replicas, "spec.replicas")
    selector_errors, template_ok = selector_and_template(spec.selector, spec.template, "spec", "deployment")
    errors += selector_errors
    if template_ok:
        errors += replica_template(spec.template, "spec.template", "ReplicaSet")
    errors += _strategy(spec.strategy, "spec.strategy")
    errors += nonnegative(spec.min_ready_seconds, "spec.minReadySeconds")
    errors += nonnegative(spec.revision_history_limit, "spec.revisionHistoryLimit")
    deadline = spec.progress_deadline_seconds
    errors += nonnegative(deadline, "spec.progressDeadlineSeconds")
    if deadline is not None and deadline <= spec.min_ready_seconds:
        errors.append(
            invalid(deadline, "spec.progressDeadlineSeconds", "must be greater than minReadySeconds")
        )
    return errors


def validate_deployment_update(new: Deployment, old: Deployment) -> list[FieldError]:
    return immutable(new.spec.selector, old.spec.selector, "spec.selector")


def _strategy(strategy: DeploymentStrategy, path: str) -> list[FieldError]:
    if strategy.type == "Recreate":
        if strategy.rolling_update is None:
            return []
        return [forbidden(f"{path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
    if strategy.type != "RollingUpdate":
        return [not_supported(shown(strategy), path, ("Recreate", "RollingUpdate"))]
    rolling = strategy.rolling_update
    if rolling is None:
        return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
    where = f"{path}.rollingUpdate"
    errors = int_or_percent_errors(rolling.max_unavailable, f"{where}.maxUnavailable")
    errors += int_or_percent_errors(rolling.max_surge, f"{where}.maxSurge")
    if int_or_percent_value(rolling.max_unavailable) == 0 and int_or_percent_value(rolling.max_surge) == 0:
        detail = "may not be 0 when `maxSurge` is 0"
        errors.append(invalid(shown(rolling.max_unavailable), f"{where}.maxUnavailable", detail))
    return errors + percent_above_100(rolling.max_unavailable, f"{where}.maxUnavailable")


def validate_replica_set(replica_set: ReplicaSet) -> list[FieldError]:
    spec = replica_set.spec
    errors = validate_object_meta(replica_set.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += nonnegative(spec.replicas, "spec.replicas")
    errors += nonnegative(spec.min_ready_seconds, "spec.minReadySeconds")
    # Kubernetes words the empty-selector error for ReplicaSets as it does for Deployments.
    selector_errors, template_ok = selector_and_template(spec.selector, spec.template, "spec", "deployment")
    errors += selector_errors
    if template_ok:
        errors += replica_template(spec.template, "spec.template", "ReplicaSet")
    return errors


def validate_replica_set_update(new: ReplicaSet, old: ReplicaSet) -> list[FieldError]:
    return immutable(new.spec.selector, old.spec.selector, "spec.selector")
