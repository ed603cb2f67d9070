"""JOB-15: matching a failed pod against a Job's podFailurePolicy (rules in order, first match
decides; onExitCodes with an optional containerName, In/NotIn, exit code 0 never matching, app then
init containers; onPodConditions with status defaulting to True; FailJob/Ignore/Count/FailIndex and
upstream's FailJob messages)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.batch import (
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
)
from kubelite.api.core import Pod
from kubelite.api.core.pod import (
    ContainerState,
    ContainerStateRunning,
    ContainerStateTerminated,
    ContainerStatus,
    PodCondition,
    PodStatus,
)
from kubelite.api.meta import ObjectMeta
from kubelite.controllers.job.failurepolicy import PolicyMatch, match_pod_failure_policy


def exited(name: str, code: int) -> ContainerStatus:
    return ContainerStatus(
        name=name, state=ContainerState(terminated=ContainerStateTerminated(exit_code=code))
    )


def running(name: str) -> ContainerStatus:
    return ContainerStatus(name=name, state=ContainerState(running=ContainerStateRunning()))


def pod(
    containers: list[ContainerStatus] | None = None,
    init: list[ContainerStatus] | None = None,
    conditions: dict[str, str] | None = None,
) -> Pod:
    status = PodStatus(
        phase="Failed",
        container_statuses=containers or [],
        init_container_statuses=init or [],
        conditions=[PodCondition(type=t, status=s) for t, s in (conditions or {}).items()],
    )
    return Pod(metadata=ObjectMeta(name="mypod", namespace="default"), status=status)


def codes(
    action: str, operator: str, values: list[int], container: str | None = None
) -> PodFailurePolicyRule:
    requirement = PodFailurePolicyOnExitCodesRequirement(
        operator=operator, values=values, container_name=container
    )
    return PodFailurePolicyRule(action=action, on_exit_codes=requirement)


def conds(action: str, *patterns: tuple[str, str]) -> PodFailurePolicyRule:
    listed = [PodFailurePolicyOnPodConditionsPattern(type=t, status=s) for t, s in patterns]
    return PodFailurePolicyRule(action=action, on_pod_conditions=listed)


def policy(*rules: PodFailurePolicyRule) -> PodFailurePolicy:
    return PodFailurePolicy(rules=list(rules))


def exit_msg(container: str, code: int, action: str, index: int) -> str:
    return f"Container {container} for pod default/mypod failed with exit code {code} matching {action} rule at index {index}"


def cond_msg(condition: str, action: str, index: int) -> str:
    return f"Pod default/mypod has condition {condition} matching {action} rule at index {index}"


CASES: list[tuple[str, PodFailurePolicy, Pod, PolicyMatch | None]] = [
    (
        "in-matches-failjob-with-message",
        policy(codes("FailJob", "In", [1, 2])),
        pod([exited("main", 2)]),
        PolicyMatch("FailJob", exit_msg("main", 2, "FailJob", 0)),
    ),
    ("in-no-match", policy(codes("FailJob", "In", [1, 2])), pod([exited("main", 3)]), None),
    (
        "notin-matches",
        policy(codes("Ignore", "NotIn", [1, 2])),
        pod([exited("main", 3)]),
        PolicyMatch("Ignore"),
    ),
    ("notin-no-match", policy(codes("Ignore", "NotIn", [1, 2])), pod([exited("main", 1)]), None),
    ("exit-0-never-matches-notin", policy(codes("FailJob", "NotIn", [1])), pod([exited("main", 0)]), None),
    ("exit-0-never-matches-in", policy(codes("FailJob", "In", [0])), pod([exited("main", 0)]), None),
    ("running-container-has-no-code", policy(codes("FailJob", "NotIn", [1])), pod([running("main")]), None),
    (
        "unknown-operator-never-matches",
        policy(codes("FailJob", "Within", [5])),
        pod([exited("main", 5)]),
        None,
    ),
    (
        "container-name-restricts",
        policy(codes("FailJob", "In", [5], container="sidecar")),
        pod([exited("main", 5), exited("sidecar", 1)]),
        None,
    ),
    (
        "container-name-picks-its-container",
        policy(codes("FailJob", "In", [5], container="sidecar")),
        pod([exited("main", 5), exited("sidecar", 5)]),
        PolicyMatch("FailJob", exit_msg("sidecar", 5, "FailJob", 0)),
    ),
    (
        "first-matching-container-named",
        policy(codes("FailJob", "NotIn", [1])),
        pod([exited("a", 1), exited("b", 7), exited("c", 8)]),
        PolicyMatch("FailJob", exit_msg("b", 7, "FailJob", 0)),
    ),
    (
        "init-container-matches",
        policy(codes("FailJob", "In", [42])),
        pod([], init=[exited("setup", 42)]),
        PolicyMatch("FailJob", exit_msg("setup", 42, "FailJob", 0)),
    ),
    (
        "app-container-before-init",
        policy(codes("FailJob", "In", [3, 4])),
        pod([exited("main", 4)], init=[exited("setup", 3)]),
        PolicyMatch("FailJob", exit_msg("main", 4, "FailJob", 0)),
    ),
    (
        "condition-matches-default-true",
        policy(conds("FailJob", ("DisruptionTarget", ""))),
        pod(conditions={"DisruptionTarget": "True"}),
        PolicyMatch("FailJob", cond_msg("DisruptionTarget", "FailJob", 0)),
    ),
    (
        "condition-status-must-equal",
        policy(conds("Ignore", ("DisruptionTarget", "True"))),
        pod(conditions={"DisruptionTarget": "False"}),
        None,
    ),
    (
        "condition-false-pattern",
        policy(conds("Count", ("Ready", "False"))),
        pod(conditions={"Ready": "False"}),
        PolicyMatch("Count"),
    ),
    (
        "condition-any-pattern",
        policy(conds("Ignore", ("A", "True"), ("DisruptionTarget", "True"))),
        pod(conditions={"DisruptionTarget": "True"}),
        PolicyMatch("Ignore"),
    ),
    (
        "first-rule-decides",
        policy(codes("Ignore", "In", [1]), codes("FailJob", "In", [1])),
        pod([exited("main", 1)]),
        PolicyMatch("Ignore"),
    ),
    (
        "later-rule-index-in-message",
        policy(
            codes("Ignore", "In", [1]),
            conds("Count", ("X", "True")),
            conds("FailJob", ("DisruptionTarget", "True")),
        ),
        pod([exited("main", 9)], conditions={"DisruptionTarget": "True"}),
        PolicyMatch("FailJob", cond_msg("DisruptionTarget", "FailJob", 2)),
    ),
    (
        "unknown-action-rule-skipped",
        policy(codes("UnknownAction", "In", [1]), codes("Count", "In", [1])),
        pod([exited("main", 1)]),
        PolicyMatch("Count"),
    ),
    (
        "failindex-has-no-message",
        policy(codes("FailIndex", "In", [3])),
        pod([exited("main", 3)]),
        PolicyMatch("FailIndex"),
    ),
    ("count-action", policy(codes("Count", "In", [3])), pod([exited("main", 3)]), PolicyMatch("Count")),
    ("empty-policy", policy(), pod([exited("main", 3)]), None),
    (
        "rule-without-requirement",
        policy(PodFailurePolicyRule(action="FailJob")),
        pod([exited("main", 3)]),
        None,
    ),
]


@pytest.mark.parametrize(("policy_", "pod_", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_job15_match_pod_failure_policy(
    policy_: PodFailurePolicy, pod_: Pod, expected: PolicyMatch | None
) -> None:
    """JOB-15: the first rule the failed pod satisfies decides; its action, and the message for FailJob."""
    assert match_pod_failure_policy(policy_, pod_) == expected


def test_job15_ignore_is_not_counted() -> None:
    """JOB-15: Ignore does not count towards backoffLimit; Count, FailJob and FailIndex do."""
    assert [PolicyMatch(a).counts_failure for a in ("Ignore", "Count", "FailJob", "FailIndex")] == [
        False,
        True,
        True,
        True,
    ]


@given(st.lists(st.integers(min_value=0, max_value=255), min_size=1, max_size=5), st.integers(0, 255))
def test_job15_in_and_notin_partition_nonzero_codes(values: list[int], code: int) -> None:
    """JOB-15: for a non-zero exit code exactly one of In/NotIn over the same values matches; 0 neither."""
    failed = pod([exited("main", code)])
    found = [match_pod_failure_policy(policy(codes("Count", op, values)), failed) for op in ("In", "NotIn")]
    matched = [f is not None for f in found]
    assert matched == ([False, False] if code == 0 else [code in values, code not in values])


def test_job15_does_not_mutate_its_inputs() -> None:
    """JOB-15: the matcher is pure (the pod and policy may be shared cache objects)."""
    the_policy = policy(conds("FailJob", ("DisruptionTarget", "")))
    the_pod = pod(conditions={"DisruptionTarget": "True"})
    before = (the_policy.rules[0].on_pod_conditions[0].status, the_pod.status.conditions[0].status)
    match_pod_failure_policy(the_policy, the_pod)
    assert (the_policy.rules[0].on_pod_conditions[0].status, the_pod.status.conditions[0].status) == before
