"""The eviction subresource against PodDisruptionBudgets (NODE-15), on the API server alone.

Each budget's status is set by hand (no disruption controller runs here), so every refusal and
every spend is checked against a known status, with the whole Status a refusal carries.
"""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.core import Pod
from kubelite.api.errors import APIError, Conflict, Forbidden, InternalError, NotFound, TooManyRequests
from kubelite.api.meta import Condition, Status, StatusCause, StatusDetails
from kubelite.api.policy import PodDisruptionBudget
from kubelite.apiserver import APIServer
from kubelite.apiserver.context import RequestContext
from kubelite.clock import FakeClock, rfc3339

from .budgets import MERGE, budget, eviction, running_pod, stored_budget, stored_pod, stored_with_allowed

pytestmark = pytest.mark.anyio
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


def too_many(cause: str, retry_after: int = 0) -> Status:
    causes = [StatusCause(reason="DisruptionBudget", message=cause)]
    details = StatusDetails(causes=causes, retry_after_seconds=retry_after)
    return Status(status="Failure", message=VIOLATION, reason="TooManyRequests", details=details, code=429)


async def assert_untouched(server: APIServer, pod_name: str, pdb: PodDisruptionBudget) -> None:
    pod = await stored_pod(server, pod_name)
    assert pod.metadata.deletion_timestamp is None
    assert [c.type for c in pod.status.conditions] == ["Ready"]
    after = await stored_budget(server, pdb.metadata.name)
    assert after.metadata.resource_version == pdb.metadata.resource_version


async def deleting_or_gone(server: APIServer, name: str) -> bool:
    try:
        return (await stored_pod(server, name)).metadata.deletion_timestamp is not None
    except NotFound:
        return True


async def test_node15_eviction_spends_one_disruption_marks_and_deletes(
    server: APIServer, clock: FakeClock
) -> None:
    """NODE-15: disruptionsAllowed 1 → 201; the PDB has 0 left, disruptedPods[pod]=now and
    DisruptionAllowed False InsufficientPods; the pod has DisruptionTarget=True and is deleting."""
    await running_pod(server, "a")
    await budget(server, allowed=1)
    result = await server.evict("a", eviction("a"), "default")
    assert (result.status, result.code) == ("Success", 201)
    now = rfc3339(clock.now())
    after = await stored_budget(server)
    assert after.status.disruptions_allowed == 0
    assert after.status.disrupted_pods == {"a": now}
    assert after.status.conditions == [
        Condition(
            type="DisruptionAllowed",
            status="False",
            reason="InsufficientPods",
            observed_generation=1,
            last_transition_time=now,
        )
    ]
    pod = await stored_pod(server, "a")
    assert pod.metadata.deletion_timestamp is not None
    target = [c for c in pod.status.conditions if c.type == "DisruptionTarget"]
    assert [(c.status, c.reason, c.message) for c in target] == [
        ("True", "EvictionByEvictionAPI", "Eviction API: evicting")
    ]


async def test_node15_with_two_disruptions_left_the_condition_stays(server: APIServer) -> None:
    """NODE-15: a decrement that leaves disruptions keeps the condition as the controller set it."""
    await running_pod(server, "a")
    await budget(server, allowed=2)
    await server.evict("a", eviction("a"), "default")
    after = await stored_budget(server)
    assert (after.status.disruptions_allowed, list(after.status.disrupted_pods)) == (1, ["a"])
    assert after.status.conditions == []


async def test_node15_no_disruptions_left_is_429_and_nothing_changes(server: APIServer) -> None:
    """NODE-15: disruptionsAllowed 0 → 429 TooManyRequests with the DisruptionBudget cause."""
    await running_pod(server, "a")
    pdb = await budget(server, allowed=0, current=2, desired=2)
    with pytest.raises(TooManyRequests) as refused:
        await server.evict("a", eviction("a"), "default")
    assert refused.value.status == too_many(
        "The disruption budget web needs 2 healthy pods and has 2 currently"
    )
    await assert_untouched(server, "a", pdb)


async def test_node15_stale_observed_generation_is_429_retry_after_10(server: APIServer) -> None:
    """NODE-15: observedGeneration < generation → 429 "still being processed", retry after 10 s,
    even with disruptions allowed."""
    await running_pod(server, "a")
    pdb = await budget(server, allowed=3, observed=0)
    with pytest.raises(TooManyRequests) as refused:
        await server.evict("a", eviction("a"), "default")
    cause = "The disruption budget web is still being processed by the server."
    assert refused.value.status == too_many(cause, retry_after=10)
    await assert_untouched(server, "a", pdb)


async def test_node15_negative_disruptions_allowed_is_403(server: APIServer) -> None:
    """NODE-15: a negative disruptionsAllowed → 403 Forbidden. A status write cannot store one
    (422), so it is put in the store directly, as a status stored before that rule would be."""
    await running_pod(server, "a")
    pdb = await stored_with_allowed(server, await budget(server, allowed=1), -1)
    with pytest.raises(Forbidden) as refused:
        await server.evict("a", eviction("a"), "default")
    assert refused.value.status == Status(
        status="Failure",
        message='poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative',
        reason="Forbidden",
        details=StatusDetails(name="web", group="policy", kind="poddisruptionbudget"),
        code=403,
    )
    await assert_untouched(server, "a", pdb)


async def test_node15_two_matching_budgets_are_500(server: APIServer) -> None:
    """NODE-15: two PDBs covering the pod → 500 with upstream's message (and no reason)."""
    await running_pod(server, "a")
    first = await budget(server, "first", allowed=1)
    await budget(server, "second", allowed=1, selector={})
    with pytest.raises(InternalError) as refused:
        await server.evict("a", eviction("a"), "default")
    message = (
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    )
    assert refused.value.status == Status(status="Failure", message=message, code=500)
    await assert_untouched(server, "a", first)


@pytest.mark.parametrize(
    ("selector", "covered"),
    [({}, True), (None, False), ({"matchLabels": {"app": "db"}}, False)],
    ids=["empty-selects-all", "absent-selects-none", "other-labels"],
)
async def test_node15_which_budgets_cover_the_pod(
    server: APIServer, selector: dict[str, str] | None, covered: bool
) -> None:
    """NODE-15 with policy/v1 selectors: `{}` covers every pod of the namespace, none covers none."""
    await running_pod(server, "a")
    await budget(server, allowed=0, selector=selector)
    if covered:
        with pytest.raises(TooManyRequests):
            await server.evict("a", eviction("a"), "default")
    else:
        assert (await server.evict("a", eviction("a"), "default")).code == 201


@pytest.mark.parametrize("phase", ["Pending", "Succeeded", "Failed"])
async def test_node15_pods_not_running_are_deleted_without_a_budget_check(
    server: APIServer, phase: str
) -> None:
    """NODE-15: a Pending, Succeeded or Failed pod is deleted though the budget allows nothing."""
    await running_pod(server, "a", phase=phase)
    pdb = await budget(server, allowed=0)
    assert (await server.evict("a", eviction("a"), "default")).code == 201
    assert await deleting_or_gone(server, "a")
    assert (await stored_budget(server)).metadata.resource_version == pdb.metadata.resource_version


async def test_node15_a_terminating_pod_is_deleted_without_a_budget_check(server: APIServer) -> None:
    """NODE-15: an already terminating pod is deleted again (the grace period may shorten)."""
    await running_pod(server, "a")
    pdb = await budget(server, allowed=0)
    await server.delete(Pod, "a", "default")
    body = eviction("a", deleteOptions={"gracePeriodSeconds": 5})
    assert (await server.evict("a", body, "default")).code == 201
    pod = await stored_pod(server, "a")
    assert pod.metadata.deletion_grace_period_seconds == 5
    assert (await stored_budget(server)).metadata.resource_version == pdb.metadata.resource_version


@pytest.mark.parametrize(
    ("policy", "current", "desired", "evicted"),
    [
        (None, 3, 2, True),
        ("IfHealthyBudget", 2, 2, True),
        ("IfHealthyBudget", 1, 2, False),
        ("IfHealthyBudget", 0, 0, False),
        ("AlwaysAllow", 1, 2, True),
        ("AlwaysAllow", 0, 0, True),
    ],
    ids=[
        "default-healthy",
        "if-healthy-at-desired",
        "if-healthy-short",
        "if-healthy-desired-0",
        "always",
        "always-0",
    ],
)
async def test_node15_unready_pod_rules(
    server: APIServer, policy: str | None, current: int, desired: int, evicted: bool
) -> None:
    """NODE-15: an unready pod goes without spending budget when currentHealthy ≥ desiredHealthy > 0
    (IfHealthyBudget, the default) or always (AlwaysAllow); otherwise the budget (0 here) refuses."""
    await running_pod(server, "a", ready=False)
    pdb = await budget(server, allowed=0, current=current, desired=desired, policy=policy)
    if evicted:
        assert (await server.evict("a", eviction("a"), "default")).code == 201
        assert (await stored_pod(server, "a")).metadata.deletion_timestamp is not None
        assert (await stored_budget(server)).metadata.resource_version == pdb.metadata.resource_version
        return
    with pytest.raises(TooManyRequests) as refused:
        await server.evict("a", eviction("a"), "default")
    cause = f"The disruption budget web needs {desired} healthy pods and has {current} currently"
    assert refused.value.status == too_many(cause)


async def test_node15_two_concurrent_evictions_against_one_disruption(server: APIServer) -> None:
    """NODE-15 race: two evictions at once against disruptionsAllowed 1 → exactly one 201; the
    other re-reads the budget after its conflict and gets 429."""
    await running_pod(server, "a")
    await running_pod(server, "b")
    await budget(server, allowed=1)
    outcomes: dict[str, int] = {}

    async def evict(name: str) -> None:
        try:
            outcomes[name] = (await server.evict(name, eviction(name), "default")).code
        except APIError as err:
            outcomes[name] = err.status.code

    async with anyio.create_task_group() as group:
        group.start_soon(evict, "a")
        group.start_soon(evict, "b")
    assert sorted(outcomes.values()) == [201, 429]
    winner = next(name for name, code in outcomes.items() if code == 201)
    after = await stored_budget(server)
    assert (after.status.disruptions_allowed, list(after.status.disrupted_pods)) == (0, [winner])


@pytest.mark.parametrize("where", ["request", "deleteOptions"])
async def test_node15_dry_run_checks_and_writes_nothing(server: APIServer, where: str) -> None:
    """NODE-15 with dryRun (on the request or in deleteOptions): 201, nothing stored."""
    await running_pod(server, "a")
    pdb = await budget(server, allowed=1)
    ctx = RequestContext(dry_run=where == "request")
    body = eviction("a", deleteOptions={"dryRun": ["All"]}) if where == "deleteOptions" else eviction("a")
    assert (await server.evict("a", body, "default", ctx)).code == 201
    await assert_untouched(server, "a", pdb)


async def test_node15_dry_run_still_refuses(server: APIServer) -> None:
    await running_pod(server, "a")
    await budget(server, allowed=0, current=2)
    with pytest.raises(TooManyRequests):
        await server.evict("a", eviction("a"), "default", RequestContext(dry_run=True))


async def test_node15_delete_failing_after_the_spend_leaves_the_budget_spent(
    server: APIServer, clock: FakeClock
) -> None:
    """NODE-15, as upstream: a uid precondition naming another pod fails the delete (409) after the
    budget was spent; the spend stays (the controller drops the disruptedPods entry after 2 min)."""
    pod = await running_pod(server, "a")
    await budget(server, allowed=1)
    body = eviction("a", deleteOptions={"preconditions": {"uid": "not-the-uid"}})
    with pytest.raises(Conflict) as refused:
        await server.evict("a", body, "default")
    assert refused.value.message == (
        'Operation cannot be fulfilled on Pod "a": the UID in the precondition (not-the-uid) does not match '
        f"the UID in record ({pod.metadata.uid}). The object might have been deleted and then recreated"
    )
    after = await stored_budget(server)
    assert (after.status.disruptions_allowed, after.status.disrupted_pods) == (0, {"a": rfc3339(clock.now())})
    assert (await stored_pod(server, "a")).metadata.deletion_timestamp is None


async def test_node15_matching_preconditions_are_honoured(server: APIServer) -> None:
    pod = await running_pod(server, "a")
    await budget(server, allowed=1)
    options = {"preconditions": {"uid": pod.metadata.uid, "resourceVersion": pod.metadata.resource_version}}
    assert (await server.evict("a", eviction("a", deleteOptions=options), "default")).code == 201
    assert (await stored_pod(server, "a")).metadata.deletion_timestamp is not None


async def test_node15_policy_v1beta1_eviction_is_accepted(server: APIServer) -> None:
    await running_pod(server, "a")
    body = {"apiVersion": "policy/v1beta1", "kind": "Eviction", "metadata": {"name": "a"}}
    assert (await server.evict("a", body, "default")).code == 201


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            {"apiVersion": "v1", "kind": "Eviction", "metadata": {"name": "a"}},
            400,
            'no kind "Eviction" is registered for version "v1"',
        ),
        (
            {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "b"}},
            400,
            "name in URL does not match name in Eviction object",
        ),
        (
            eviction("a", deleteOptions={"propagationPolicy": "Sometimes"}),
            422,
            'Eviction.policy "a" is invalid: deleteOptions.propagationPolicy: Unsupported value: '
            '"Sometimes": supported values: "Foreground", "Background", "Orphan", "nil"',
        ),
        (eviction("a", deleteOptions={"gracePeriodSeconds": "soon"}), 400, None),
    ],
    ids=["wrong-version", "other-name", "bad-propagation", "wrong-type"],
)
async def test_node15_bad_eviction_bodies_change_nothing(
    server: APIServer, body: dict[str, object], code: int, message: str | None
) -> None:
    await running_pod(server, "a")
    pdb = await budget(server, allowed=1)
    with pytest.raises(APIError) as refused:
        await server.evict("a", body, "default")
    assert refused.value.status.code == code
    if message is not None:
        assert refused.value.message == message
    await assert_untouched(server, "a", pdb)


async def test_node15_the_pdb_status_write_keeps_the_spec(server: APIServer) -> None:
    """The spend is a status write: the budget's spec and generation do not move."""
    await running_pod(server, "a")
    before = await budget(server, allowed=1)
    await server.evict("a", eviction("a"), "default")
    after = await stored_budget(server)
    assert (after.spec, after.metadata.generation) == (before.spec, before.metadata.generation)
    unchanged = await server.patch(
        PodDisruptionBudget, "web", {"spec": {"minAvailable": 1}}, MERGE, "default"
    )
    assert unchanged.metadata.generation == 2


async def test_node15_dry_run_options_must_agree(server: APIServer) -> None:
    """A request dryRun and a different deleteOptions.dryRun → 500 without a reason (upstream's
    answer to an error that is not a Status: StatusReasonUnknown is ""); nothing changes."""
    await running_pod(server, "a")
    pdb = await budget(server, allowed=1)
    body = eviction("a", deleteOptions={"dryRun": ["Later"]})
    with pytest.raises(InternalError) as refused:
        await server.evict("a", body, "default", RequestContext(dry_run=True))
    message = "Non-matching dry-run options in request and content: [All] and [Later]"
    assert refused.value.status == Status(status="Failure", message=message, code=500)
    await assert_untouched(server, "a", pdb)
