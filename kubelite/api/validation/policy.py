"""Validation of coordination/v1 Leases and policy/v1 PodDisruptionBudgets and Evictions.

Lease: a DNS-1123 subdomain name; `leaseDurationSeconds` > 0; `leaseTransitions` ≥ 0.
PodDisruptionBudget: a DNS-1123 subdomain name; `minAvailable` and `maxUnavailable` are exclusive
(`minAvailable and maxUnavailable cannot be both set`), each a non-negative int or a percentage of
at most 100%; a valid label selector; `unhealthyPodEvictionPolicy` IfHealthyBudget or AlwaysAllow;
an integer `minAvailable`/`maxUnavailable` fits Go's int32 (the IntOrString upstream decodes);
a status write keeps `disruptionsAllowed`, `currentHealthy`, `desiredHealthy` and `expectedPods`
non-negative and within int32 (an eviction answers a negative `disruptionsAllowed` with 403, so
only a status stored some other way can have one).
The spec may change on update (policy/v1). Eviction: its delete options name a known propagation
policy and do not also set `orphanDependents`. Pure functions.
"""

from __future__ import annotations

from kubelite.api.coordination.lease import Lease
from kubelite.api.errors import FieldError, invalid, not_supported
from kubelite.api.policy.eviction import Eviction
from kubelite.api.policy.poddisruptionbudget import PodDisruptionBudget
from kubelite.api.validation import names
from kubelite.api.validation.fields import NEGATIVE, in_go_range, nonnegative, shown
from kubelite.api.validation.objectmeta import validate_object_meta
from kubelite.api.validation.selectors import validate_label_selector
from kubelite.api.validation.workloads import int_or_percent_errors, percent_above_100

EVICTION_POLICIES = ("AlwaysAllow", "IfHealthyBudget")
PROPAGATION_POLICIES = ("Foreground", "Background", "Orphan", "nil")


def validate_lease(lease: Lease) -> list[FieldError]:
    spec = lease.spec
    errors = validate_object_meta(lease.metadata, namespaced=True, name_fn=names.subdomain_name)
    if spec.lease_duration_seconds is not None and spec.lease_duration_seconds <= 0:
        errors.append(
            invalid(spec.lease_duration_seconds, "spec.leaseDurationSeconds", "must be greater than 0")
        )
    if spec.lease_transitions is not None and spec.lease_transitions < 0:
        errors.append(invalid(spec.lease_transitions, "spec.leaseTransitions", NEGATIVE))
    return errors


def validate_pod_disruption_budget(budget: PodDisruptionBudget) -> list[FieldError]:
    spec = budget.spec
    errors = validate_object_meta(budget.metadata, namespaced=True, name_fn=names.subdomain_name)
    if spec.min_available is not None and spec.max_unavailable is not None:
        errors.append(invalid(shown(spec), "spec", "minAvailable and maxUnavailable cannot be both set"))
    for field, value in (("minAvailable", spec.min_available), ("maxUnavailable", spec.max_unavailable)):
        errors += int_or_percent_errors(value, f"spec.{field}")
        errors += percent_above_100(value, f"spec.{field}")
        errors += in_go_range(value, f"spec.{field}") if isinstance(value, int) else []
    errors += validate_label_selector(spec.selector, "spec.selector")
    policy = spec.unhealthy_pod_eviction_policy
    if policy is not None and policy not in EVICTION_POLICIES:
        errors.append(not_supported(policy, "spec.unhealthyPodEvictionPolicy", EVICTION_POLICIES))
    return errors


def validate_pod_disruption_budget_update(
    new: PodDisruptionBudget, old: PodDisruptionBudget
) -> list[FieldError]:
    """A written status (a changed one: the main resource keeps the stored status) has
    non-negative counters (upstream's policy/v1 `ValidatePodDisruptionBudgetStatusUpdate`)."""
    if new.status == old.status:
        return []
    status = new.status
    counters = (
        ("disruptionsAllowed", status.disruptions_allowed),
        ("currentHealthy", status.current_healthy),
        ("desiredHealthy", status.desired_healthy),
        ("expectedPods", status.expected_pods),
    )
    return [
        error
        for field, value in counters
        for error in nonnegative(value, f"status.{field}") + in_go_range(value, f"status.{field}")
    ]


def validate_eviction(eviction: Eviction) -> list[FieldError]:
    options = eviction.delete_options
    if options is None:
        return []
    errors: list[FieldError] = []
    policy = options.propagation_policy
    if options.orphan_dependents is not None and policy is not None:
        detail = "orphanDependents and deletionPropagation cannot be both set"
        errors.append(invalid(policy, "deleteOptions.propagationPolicy", detail))
    if policy is not None and policy not in PROPAGATION_POLICIES[:3]:
        errors.append(not_supported(policy, "deleteOptions.propagationPolicy", PROPAGATION_POLICIES))
    return errors
