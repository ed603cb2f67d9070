"""JOB-15: validation of spec.podFailurePolicy (needs restartPolicy Never; actions, FailIndex only with
backoffLimitPerIndex, operators, containerName, values, condition patterns) with upstream's
messages."""

from __future__ import annotations

import pytest

from kubelite.api.batch.job import (
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
)
from kubelite.api.core import Container
from tests.api.test_validation_batch import errors_of, job, template

RULES = "spec.podFailurePolicy.rules"


def codes(
    operator: str = "In", values: list[int] | None = None, container: str | None = None
) -> PodFailurePolicyOnExitCodesRequirement:
    return PodFailurePolicyOnExitCodesRequirement(
        operator=operator, values=[1] if values is None else values, container_name=container
    )


def cond(type_: str = "DisruptionTarget", status: str = "True") -> PodFailurePolicyOnPodConditionsPattern:
    return PodFailurePolicyOnPodConditionsPattern(type=type_, status=status)


def rule(action: str = "FailJob", **requirement: object) -> PodFailurePolicyRule:
    return PodFailurePolicyRule(action=action, **requirement)  # type: ignore[arg-type]  # the rule's own fields


def with_rules(*rules: PodFailurePolicyRule, **spec: object) -> list[str]:
    fields: dict[str, object] = {
        "pod_failure_policy": PodFailurePolicy(rules=list(rules)),
        "pod_replacement_policy": "Failed",
    }
    fields.update(spec)
    return errors_of(job(**fields))


def test_job15_valid_policies_are_accepted() -> None:
    """JOB-15: every action, both operators, a named init container, condition patterns."""
    tmpl = template(init_containers=[Container(name="setup", image="busybox")])
    assert (
        with_rules(
            rule("FailJob", on_exit_codes=codes("In", [1, 2, 42], container="setup")),
            rule("Ignore", on_pod_conditions=[cond("DisruptionTarget"), cond("example.com/x", "Unknown")]),
            rule("Count", on_exit_codes=codes("NotIn", [0, 3])),
            template=tmpl,
        )
        == []
    )
    indexed = {"completion_mode": "Indexed", "completions": 3, "backoff_limit_per_index": 1}
    assert with_rules(rule("FailIndex", on_exit_codes=codes()), **indexed) == []


CASES: list[tuple[str, list[PodFailurePolicyRule], dict[str, object], list[str]]] = [
    (
        "failindex-needs-backoff-limit-per-index",
        [rule("FailIndex", on_exit_codes=codes())],
        {},
        [f'{RULES}[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set'],
    ),
    (
        "unknown-action",
        [rule("Retry", on_exit_codes=codes())],
        {},
        [
            f'{RULES}[0].action: Unsupported value: "Retry": supported values: '
            '"Count", "FailIndex", "FailJob", "Ignore"'
        ],
    ),
    (
        "missing-action",
        [rule("", on_exit_codes=codes())],
        {},
        [f'{RULES}[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'],
    ),
    (
        "bad-operator",
        [rule(on_exit_codes=codes("Within"))],
        {},
        [f'{RULES}[0].onExitCodes.operator: Unsupported value: "Within": supported values: "In", "NotIn"'],
    ),
    (
        "missing-operator",
        [rule(on_exit_codes=codes(""))],
        {},
        [f'{RULES}[0].onExitCodes.operator: Required value: valid values: ["In" "NotIn"]'],
    ),
    (
        "zero-with-in",
        [rule(on_exit_codes=codes("In", [0, 1]))],
        {},
        [f"{RULES}[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"],
    ),
    (
        "duplicate-and-unordered",
        [rule(on_exit_codes=codes("NotIn", [3, 1, 3]))],
        {},
        [
            f"{RULES}[0].onExitCodes.values[2]: Duplicate value: 3",
            f"{RULES}[0].onExitCodes.values: Invalid value: [3,1,3]: must be ordered",
        ],
    ),
    (
        "no-values",
        [rule(on_exit_codes=codes("In", []))],
        {},
        [f"{RULES}[0].onExitCodes.values: Invalid value: null: at least one value is required"],
    ),
    (
        "too-many-values",
        [rule(on_exit_codes=codes("NotIn", list(range(256))))],
        {},
        [f"{RULES}[0].onExitCodes.values: Too many: 256: must have at most 255 items"],
    ),
    (
        "unknown-container",
        [rule(on_exit_codes=codes(container="ghost"))],
        {},
        [
            f'{RULES}[0].onExitCodes.containerName: Invalid value: "ghost": '
            "must be one of the container or initContainer names in the pod template"
        ],
    ),
    (
        "both-requirements",
        [rule(on_exit_codes=codes(), on_pod_conditions=[cond()])],
        {},
        [f"{RULES}[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"],
    ),
    (
        "no-requirement",
        [rule()],
        {},
        [f"{RULES}[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
    ),
    (
        "bad-condition-status",
        [rule(on_pod_conditions=[cond(status="Maybe")])],
        {},
        [
            f'{RULES}[0].onPodConditions[0].status: Unsupported value: "Maybe": '
            'supported values: "False", "True", "Unknown"'
        ],
    ),
    (
        "missing-condition-status",
        [rule(on_pod_conditions=[cond(status="")])],
        {},
        [f'{RULES}[0].onPodConditions[0].status: Required value: valid values: ["False" "True" "Unknown"]'],
    ),
    (
        "bad-condition-type",
        [rule(on_pod_conditions=[cond("not a type")])],
        {},
        [
            f'{RULES}[0].onPodConditions[0].type: Invalid value: "not a type": '
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
            "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        ],
    ),
    (
        "too-many-patterns",
        [rule(on_pod_conditions=[cond(f"C{i}") for i in range(21)])],
        {},
        [f"{RULES}[0].onPodConditions: Too many: 21: must have at most 20 items"],
    ),
    (
        "too-many-rules",
        [rule(on_exit_codes=codes()) for _ in range(21)],
        {},
        [f"{RULES}: Too many: 21: must have at most 20 items"],
    ),
    (
        "second-rule-indexed",
        [rule(on_exit_codes=codes()), rule("Ignore")],
        {},
        [f"{RULES}[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"],
    ),
    (
        "replacement-policy-must-be-failed",
        [rule(on_exit_codes=codes())],
        {"pod_replacement_policy": "TerminatingOrFailed"},
        ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"'],
    ),
    (
        "needs-restart-never",
        [rule(on_exit_codes=codes())],
        {"template": template(restart_policy="OnFailure")},
        [
            'spec.template.spec.restartPolicy: Invalid value: "OnFailure": '
            'only "Never" is supported when podFailurePolicy is specified'
        ],
    ),
]


@pytest.mark.parametrize(("rules", "spec", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_job15_policy_rejections(
    rules: list[PodFailurePolicyRule], spec: dict[str, object], expected: list[str]
) -> None:
    """JOB-15: each invalid policy is refused with upstream's field path and message."""
    assert with_rules(*rules, **spec) == expected
