"""Matching a failed pod against a Job's `podFailurePolicy` (JOB-15), as upstream's
`pkg/controller/job/pod_failure_policy.go`.

`match_pod_failure_policy(policy, pod)` is pure: it reads the pod's status and returns the
`PolicyMatch` of the first rule, in order, that the pod satisfies, or `None` when no rule does (the
failure is then counted as usual). A rule with an action other than `FailJob`, `Ignore`, `Count` and
`FailIndex` is skipped, as is an `onExitCodes` rule with an unknown operator: clients treat unknown
values as "not satisfied".

- `onExitCodes`: the terminated state of each container status (the app containers first, then the
  init containers) whose name matches the optional `containerName`; exit code 0 never matches; `In`
  matches a code in `values`, `NotIn` a code not in them. Containers still running have no exit
  code and are passed over.
- `onPodConditions`: any pod condition whose type and status equal a pattern's (`status` unset
  reads as `"True"`, its default).

Only `FailJob` carries a message: "Container X for pod ns/name failed with exit code N matching
FailJob rule at index I" or "Pod ns/name has condition T matching FailJob rule at index I"; the
Job controller uses it as the `Failed` condition's message (reason `PodFailurePolicy`). The other
actions' message is empty. The caller owns the arguments; nothing is mutated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kubelite.api.batch import (
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
)
from kubelite.api.core import Pod
from kubelite.api.core.pod import ContainerStatus, PodCondition

FAIL_JOB = "FailJob"
FAIL_INDEX = "FailIndex"
IGNORE = "Ignore"
COUNT = "Count"
ACTIONS = frozenset({FAIL_JOB, FAIL_INDEX, IGNORE, COUNT})


@dataclass(frozen=True, slots=True)
class PolicyMatch:
    """The action of the first matching rule, and the Job failure message for `FailJob`."""

    action: str
    message: str = ""

    @property
    def counts_failure(self) -> bool:
        """Whether the failure counts towards `backoffLimit` (all but `Ignore`)."""
        return self.action != IGNORE


def match_pod_failure_policy(policy: PodFailurePolicy, pod: Pod) -> PolicyMatch | None:
    """The first rule of `policy` that `pod`'s status satisfies, or `None`."""
    for index, rule in enumerate(policy.rules):
        if rule.action not in ACTIONS:
            continue
        found = _match_rule(rule, pod, index)
        if found is not None:
            return found
    return None


def _match_rule(rule: PodFailurePolicyRule, pod: Pod, index: int) -> PolicyMatch | None:
    key = f"{pod.metadata.namespace}/{pod.metadata.name}"
    where = f"matching {rule.action} rule at index {index}"
    if rule.on_exit_codes is not None:
        status = _match_exit_codes(pod, rule.on_exit_codes)
        if status is None:
            return None
        code = status.state.terminated.exit_code if status.state.terminated else 0
        return _result(
            rule.action, f"Container {status.name} for pod {key} failed with exit code {code} {where}"
        )
    if rule.on_pod_conditions:
        condition = _match_conditions(pod.status.conditions, rule.on_pod_conditions)
        if condition is None:
            return None
        return _result(rule.action, f"Pod {key} has condition {condition.type} {where}")
    return None


def _result(action: str, message: str) -> PolicyMatch:
    return PolicyMatch(action, message if action == FAIL_JOB else "")


def _match_exit_codes(
    pod: Pod, requirement: PodFailurePolicyOnExitCodesRequirement
) -> ContainerStatus | None:
    found = _first_matching(pod.status.container_statuses, requirement)
    return found if found is not None else _first_matching(pod.status.init_container_statuses, requirement)


def _first_matching(
    statuses: Iterable[ContainerStatus], requirement: PodFailurePolicyOnExitCodesRequirement
) -> ContainerStatus | None:
    wanted = requirement.container_name
    for status in statuses:
        terminated = status.state.terminated
        if terminated is None or terminated.exit_code == 0:
            continue
        if wanted is not None and wanted != status.name:
            continue
        if exit_code_matches(terminated.exit_code, requirement):
            return status
    return None


def exit_code_matches(code: int, requirement: PodFailurePolicyOnExitCodesRequirement) -> bool:
    """`In`/`NotIn` of `code` against `values`; an unknown operator never matches."""
    if requirement.operator == "In":
        return code in requirement.values
    if requirement.operator == "NotIn":
        return code not in requirement.values
    return False


def _match_conditions(
    conditions: Iterable[PodCondition], patterns: list[PodFailurePolicyOnPodConditionsPattern]
) -> PodCondition | None:
    for condition in conditions:
        for pattern in patterns:
            if condition.type == pattern.type and condition.status == (pattern.status or "True"):
                return condition
    return None
