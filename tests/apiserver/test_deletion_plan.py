"""`plan_delete`, the pure rules of a DELETE (Kubernetes' `rest.BeforeDelete` and store finalizers).

A table of single DELETEs, then a property over sequences of DELETEs: `deletionTimestamp` is set
once, never cleared and never moved later; the grace period never grows; generation rises exactly
once; a `KEEP` changes nothing; only an object without finalizers is removed; other controllers'
finalizers are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.core import Container, Pod, PodSpec
from kubelite.api.errors import Invalid
from kubelite.api.meta import DeleteOptions, ObjectMeta
from kubelite.apiserver.deletion import DeleteRequest, Outcome, delete_request, plan_delete
from kubelite.apiserver.strategies import Strategy, builtin_strategies
from kubelite.clock import parse_rfc3339, rfc3339

NOW = 1_767_225_600.0
POD = builtin_strategies()[("", "Pod")]
PLAIN = Strategy(tracks_generation=True)
JOB_LIKE = Strategy(tracks_generation=True, default_propagation="Orphan")


def _pod(node: str = "node1", finalizers: tuple[str, ...] = (), grace: int | None = None) -> Pod:
    return Pod(
        metadata=ObjectMeta(name="p", generation=1, finalizers=list(finalizers)),
        spec=PodSpec(
            node_name=node,
            termination_grace_period_seconds=grace,
            containers=[Container(name="c", image="i")],
        ),
    )


@dataclass(frozen=True)
class Row:
    id: str
    strategy: Strategy
    obj: Pod
    request: DeleteRequest
    outcome: Outcome
    timestamp: float | None = None
    grace: int | None = None
    finalizers: tuple[str, ...] = ()


def _req(grace: int | None = None, policy: str | None = None, now: float = NOW) -> DeleteRequest:
    return delete_request(DeleteOptions(grace_period_seconds=grace, propagation_policy=policy), now, 30)


def _terminating(grace: int, since: float = NOW, finalizers: tuple[str, ...] = ()) -> Pod:
    pod = _pod(finalizers=finalizers)
    pod.metadata.deletion_timestamp = rfc3339(since + grace)
    pod.metadata.deletion_grace_period_seconds = grace
    return pod


ROWS = [
    Row("pod-default-grace", POD, _pod(), _req(), Outcome.UPDATE, NOW + 30, 30),
    Row("pod-spec-grace", POD, _pod(grace=45), _req(), Outcome.UPDATE, NOW + 45, 45),
    Row("pod-negative-is-1s", POD, _pod(), _req(grace=-7), Outcome.UPDATE, NOW + 1, 1),
    Row("pod-unscheduled", POD, _pod(node=""), _req(grace=30), Outcome.REMOVE, NOW, 0),
    Row(
        "pod-zero-with-finalizer",
        POD,
        _pod(finalizers=("x/y",)),
        _req(grace=0),
        Outcome.UPDATE,
        NOW,
        0,
        ("x/y",),
    ),
    Row(
        "pod-shorten",
        POD,
        _terminating(60, NOW - 10),
        _req(grace=20),
        Outcome.UPDATE,
        NOW + 10,
        20,
    ),
    Row("pod-shorten-past-now", POD, _terminating(60, NOW - 30), _req(grace=10), Outcome.UPDATE, NOW, 1),
    Row("pod-force", POD, _terminating(30), _req(grace=0), Outcome.REMOVE, NOW, 0),
    Row(
        "pod-force-finalized",
        POD,
        _terminating(30, finalizers=("x/y",)),
        _req(grace=0),
        Outcome.UPDATE,
        NOW,
        0,
        ("x/y",),
    ),
    Row(
        "pod-overdue-never-moves-later",
        POD,
        _terminating(30, NOW - 40, finalizers=("x/y",)),
        _req(grace=5),
        Outcome.UPDATE,
        NOW - 10,
        1,
        ("x/y",),
    ),
    Row("pod-longer-is-kept", POD, _terminating(30), _req(grace=60), Outcome.KEEP, NOW + 30, 30),
    Row("pod-no-grace-is-kept", POD, _terminating(30), _req(), Outcome.KEEP, NOW + 30, 30),
    Row("plain-removed", PLAIN, _pod(), _req(), Outcome.REMOVE),
    Row("plain-orphan", PLAIN, _pod(), _req(policy="Orphan"), Outcome.UPDATE, NOW, 0, ("orphan",)),
    Row("default-orphan", JOB_LIKE, _pod(), _req(), Outcome.UPDATE, NOW, 0, ("orphan",)),
    Row(
        "existing-foreground-overrides-default",
        JOB_LIKE,
        _pod(finalizers=("foregroundDeletion",)),
        _req(),
        Outcome.UPDATE,
        NOW,
        0,
        ("foregroundDeletion",),
    ),
    Row(
        "explicit-background-strips",
        PLAIN,
        _pod(finalizers=("orphan",)),
        _req(policy="Background"),
        Outcome.REMOVE,
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_single_delete_follows_kubernetes(row: Row) -> None:
    obj = msgspec.structs.replace(row.obj, metadata=msgspec.structs.replace(row.obj.metadata))
    assert plan_delete(row.strategy, obj, row.request) is row.outcome
    meta = obj.metadata
    if row.timestamp is not None:
        assert meta.deletion_timestamp == rfc3339(row.timestamp)
        assert meta.deletion_grace_period_seconds == row.grace
    assert tuple(meta.finalizers) == row.finalizers


REQUESTS = st.builds(
    lambda grace, policy, advance: (grace, policy, advance),
    st.one_of(st.none(), st.integers(-5, 90)),
    st.sampled_from([None, "Orphan", "Foreground", "Background"]),
    st.integers(0, 40),
)


@given(
    st.sampled_from(["pod", "plain", "job-like"]),
    st.booleans(),
    st.booleans(),
    st.lists(REQUESTS, min_size=1, max_size=6),
)
def test_repeat_deletes_keep_kubernetes_invariants(
    kind: str, scheduled: bool, held: bool, requests: list[tuple[int | None, str | None, int]]
) -> None:
    strategy = {"pod": POD, "plain": PLAIN, "job-like": JOB_LIKE}[kind]
    obj = _pod(node="node1" if scheduled else "", finalizers=("example.com/hold",) if held else ())
    now = NOW
    for grace, policy, advance in requests:
        now += advance
        before = msgspec.json.encode(obj)
        old = msgspec.json.decode(before, type=Pod)
        outcome = plan_delete(strategy, obj, _req(grace, policy, now))
        _check_step(old, obj, outcome, before, held)
        if outcome is Outcome.REMOVE:
            return


def _check_step(old: Pod, new: Pod, outcome: Outcome, before: bytes, held: bool) -> None:
    if outcome is Outcome.KEEP:
        assert msgspec.json.encode(new) == before
        return
    meta, was = new.metadata, old.metadata
    if outcome is Outcome.REMOVE:
        assert not meta.finalizers
        return
    assert meta.deletion_timestamp is not None
    if was.deletion_timestamp is not None:
        assert parse_rfc3339(meta.deletion_timestamp) <= parse_rfc3339(was.deletion_timestamp)
        assert meta.generation == was.generation
    else:
        assert meta.generation == was.generation + 1
    if was.deletion_grace_period_seconds is not None:
        assert meta.deletion_grace_period_seconds is not None
        assert meta.deletion_grace_period_seconds <= was.deletion_grace_period_seconds
    if held:
        assert "example.com/hold" in meta.finalizers


def test_api_delete_options_with_both_policies_is_invalid_in_kubernetes_words() -> None:
    """As upstream's DELETE handler: 422 on `DeleteOptions.meta.k8s.io` naming `propagationPolicy`."""
    options = DeleteOptions(orphan_dependents=True, propagation_policy="Orphan")
    with pytest.raises(Invalid) as caught:
        delete_request(options, NOW, 30)
    assert str(caught.value) == (
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": '
        "orphanDependents and deletionPropagation cannot be both set"
    )
    causes = caught.value.status.details.causes
    assert [(c.reason, c.field) for c in causes] == [("FieldValueInvalid", "propagationPolicy")]


def test_api_delete_options_with_an_unknown_policy_is_invalid() -> None:
    with pytest.raises(Invalid) as caught:
        delete_request(DeleteOptions(propagation_policy="Sideways"), NOW, 30)
    assert str(caught.value).startswith(
        'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": '
        'supported values: "Background", "Foreground", "Orphan"'
    )
    causes = caught.value.status.details.causes
    assert [(c.reason, c.field) for c in causes] == [("FieldValueNotSupported", "propagationPolicy")]


@pytest.mark.parametrize(
    ("orphan", "finalizers"), [(True, ["orphan"]), (False, [])], ids=["orphan-true", "orphan-false"]
)
def test_gc6_orphan_dependents_chooses_the_policy(orphan: bool, finalizers: list[str]) -> None:
    """`orphanDependents: false` is Background: it strips an orphan finalizer the object carried."""
    request = delete_request(DeleteOptions(orphan_dependents=orphan), NOW, 30)
    obj = _pod(finalizers=("orphan",) if not orphan else ())
    outcome = plan_delete(PLAIN, obj, request)
    assert obj.metadata.finalizers == finalizers
    assert outcome is (Outcome.UPDATE if orphan else Outcome.REMOVE)


def test_kub12_the_servers_default_grace_applies_when_neither_request_nor_spec_names_one() -> None:
    pod = _pod()
    assert plan_delete(POD, pod, delete_request(DeleteOptions(), NOW, 45)) is Outcome.UPDATE
    assert (pod.metadata.deletion_timestamp, pod.metadata.deletion_grace_period_seconds) == (
        rfc3339(NOW + 45),
        45,
    )


def test_gc7_a_repeated_delete_of_a_finalized_object_keeps_grace_zero() -> None:
    obj = _pod(finalizers=("x/y",))
    assert plan_delete(PLAIN, obj, _req()) is Outcome.UPDATE
    assert obj.metadata.deletion_grace_period_seconds == 0
    assert plan_delete(PLAIN, obj, _req()) is Outcome.UPDATE
    assert obj.metadata.deletion_grace_period_seconds == 0


def test_a_negative_stored_grace_reads_as_one_second() -> None:
    pod = _pod(finalizers=("x/y",))
    pod.metadata.deletion_timestamp = rfc3339(NOW + 1)
    pod.metadata.deletion_grace_period_seconds = -5
    assert plan_delete(POD, pod, _req()) is Outcome.KEEP
    assert pod.metadata.deletion_grace_period_seconds == 1


def test_api3_a_graceful_delete_leaves_an_untracked_generation_at_zero() -> None:
    pod = _pod()
    pod.metadata.generation = 0
    plan_delete(POD, pod, _req())
    assert pod.metadata.generation == 0


def test_kub12_an_equal_grace_with_a_policy_keeps_the_object_as_stored() -> None:
    """Upstream's BeforeDelete: a DELETE that does not shorten a running grace changes nothing, not
    even the GC finalizers its policy asks for."""
    pod = _terminating(30)
    assert plan_delete(POD, pod, _req(grace=30, policy="Orphan")) is Outcome.KEEP
    assert pod.metadata.finalizers == []
    assert pod.metadata.deletion_grace_period_seconds == 30


def test_kub12_a_deadline_shortened_to_exactly_now_keeps_the_requested_grace() -> None:
    pod = _terminating(60, NOW - 10)
    assert plan_delete(POD, pod, _req(grace=10)) is Outcome.UPDATE
    assert (pod.metadata.deletion_timestamp, pod.metadata.deletion_grace_period_seconds) == (rfc3339(NOW), 10)
