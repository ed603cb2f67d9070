"""apps/v1 DaemonSet (stored and served for NODE-14's owner lookups; no controller runs it):
defaults, validation with upstream's field paths and messages, and its wire shape."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.apps import DaemonSet, DaemonSetSpec, DaemonSetUpdateStrategy, RollingUpdateDaemonSet
from kubelite.api.core import Container, PodSpec, PodTemplateSpec
from kubelite.api.defaults import apply_defaults
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.api.validation import validate_create, validate_update

MISMATCH = "`selector` does not match template `labels`"


def daemon_set(**spec: object) -> DaemonSet:
    """A DaemonSet as it looks after defaulting."""
    template = PodTemplateSpec(
        metadata=ObjectMeta(labels={"app": "agent"}),
        spec=PodSpec(containers=[Container(name="agent", image="busybox:1.36")], restart_policy="Always"),
    )
    fields: dict[str, object] = {
        "selector": LabelSelector(match_labels={"app": "agent"}),
        "template": template,
        "update_strategy": _rolling(1, 0),
        "revision_history_limit": 10,
    }
    fields.update(spec)
    meta = ObjectMeta(name="agent", namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    return DaemonSet(metadata=meta, spec=DaemonSetSpec(**fields))  # type: ignore[arg-type]  # DaemonSetSpec's


def _rolling(unavailable: int | str | None, surge: int | str | None) -> DaemonSetUpdateStrategy:
    rolling = RollingUpdateDaemonSet(max_unavailable=unavailable, max_surge=surge)
    return DaemonSetUpdateStrategy(type="RollingUpdate", rolling_update=rolling)


def test_defaults_rolling_update_one_unavailable_no_surge_and_ten_revisions() -> None:
    bare = DaemonSet(metadata=ObjectMeta(name="agent", namespace="default"))
    apply_defaults(bare, creating=True)
    assert msgspec.to_builtins(bare.spec.update_strategy) == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert bare.spec.revision_history_limit == 10
    on_delete = DaemonSet(spec=DaemonSetSpec(update_strategy=DaemonSetUpdateStrategy(type="OnDelete")))
    apply_defaults(on_delete, creating=True)
    assert on_delete.spec.update_strategy == DaemonSetUpdateStrategy(type="OnDelete")


def test_status_counts_are_always_encoded() -> None:
    wire = msgspec.json.decode(msgspec.json.encode(DaemonSet()))
    assert wire["status"] == {
        "currentNumberScheduled": 0,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 0,
        "numberReady": 0,
    }


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        ({"update_strategy": DaemonSetUpdateStrategy(type="OnDelete")}, []),
        ({"update_strategy": _rolling(0, "25%")}, []),
        (
            {"selector": None},
            [
                "spec.selector: Required value",
                f'spec.template.metadata.labels: Invalid value: {{"app":"agent"}}: {MISMATCH}',
            ],
        ),
        (
            {"selector": LabelSelector()},
            ["spec.selector: Invalid value: {}: empty selector is invalid for daemonset"],
        ),
        (
            {"selector": LabelSelector(match_labels={"app": "other"})},
            [f'spec.template.metadata.labels: Invalid value: {{"app":"agent"}}: {MISMATCH}'],
        ),
        (
            {"min_ready_seconds": -1},
            ["spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            {"revision_history_limit": -1},
            ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            {"update_strategy": DaemonSetUpdateStrategy(type="Sideways")},
            [
                'spec.updateStrategy: Unsupported value: {"type":"Sideways"}: supported values: "RollingUpdate", "OnDelete"'
            ],
        ),
        (
            {"update_strategy": DaemonSetUpdateStrategy(type="RollingUpdate")},
            ["spec.updateStrategy.rollingUpdate: Required value"],
        ),
        (
            {"update_strategy": _rolling(1, 1)},
            [
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"
            ],
        ),
        (
            {"update_strategy": _rolling(0, 0)},
            [
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"
            ],
        ),
        (
            {"update_strategy": _rolling("150%", 0)},
            [
                'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'
            ],
        ),
    ],
    ids=[
        "defaulted",
        "on-delete",
        "surge-only",
        "no-selector",
        "empty-selector",
        "selector-mismatch",
        "negative-min-ready",
        "negative-history",
        "unknown-strategy",
        "rolling-without-parameters",
        "both-non-zero",
        "both-zero",
        "over-100-percent",
    ],
)
def test_validation(spec: dict[str, object], expected: list[str]) -> None:
    assert [str(e) for e in validate_create(daemon_set(**spec))] == expected


def test_template_restarts_always_and_has_no_active_deadline() -> None:
    template = daemon_set().spec.template
    template.spec.restart_policy = "Never"
    template.spec.active_deadline_seconds = 5
    assert [str(e) for e in validate_create(daemon_set(template=template))] == [
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
        "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
    ]


def test_selector_is_immutable() -> None:
    old = daemon_set()
    new = daemon_set(selector=LabelSelector(match_labels={"app": "agent", "tier": "x"}))
    new.spec.template.metadata.labels = {"app": "agent", "tier": "x"}
    assert [str(e) for e in validate_update(new, old)] == [
        'spec.selector: Invalid value: {"matchLabels":{"app":"agent","tier":"x"}}: field is immutable'
    ]
