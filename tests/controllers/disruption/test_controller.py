"""The disruption controller on a whole cluster (NODE-16): expected pods from the controllers'
scale (pod → ReplicaSet → Deployment, ReplicationController), unmanaged pods, controllers it
cannot resolve (the fail-safe status and its event), budgets over no pods, selector changes, and
a restart of the controller between an eviction and the expiry of its disruptedPods entry."""

from __future__ import annotations

import pytest

from kubelite.api.core import ReplicationController, ReplicationControllerSpec
from kubelite.api.meta import DeleteOptions, LabelSelector, ObjectMeta, OwnerReference, Preconditions
from kubelite.api.policy import PodDisruptionBudget
from kubelite.store.memory import MemoryStorage

from ..deployment.support import deployment
from ..job.support import job
from ..replicaset.support import bare_pod, template
from .support import eviction, pdb, running

pytestmark = pytest.mark.anyio


def condition(budget: PodDisruptionBudget) -> tuple[str, str, str]:
    found = [c for c in budget.status.conditions if c.type == "DisruptionAllowed"]
    assert len(found) == 1
    return found[0].status, found[0].reason, found[0].message


async def test_node16_percentages_take_the_deployments_scale_and_int_counts_pods() -> None:
    """NODE-16: a Deployment of 4 plus one bare matching pod. minAvailable 50% → expected 4 (the
    Deployment's replicas via pod → RS → Deployment), desired 2, and a Warning UnmanagedPods event;
    maxUnavailable 25% → desired 3; an integer minAvailable counts the 5 matching pods."""
    async with running() as r:
        client = r.cluster.client
        await client.create(deployment(replicas=4))
        await client.create(bare_pod("loose"))
        await r.until(lambda: len(r.ready()) == 5)
        await client.create(pdb("half", min_available="50%"))
        await client.create(pdb("quarter", max_unavailable="25%"))
        await client.create(pdb("two", min_available=2))
        await r.until(
            lambda: (
                r.budgets.get("two", "default") is not None
                and [r.counters(n) for n in ("half", "quarter", "two")]
                == [(4, 2, 5, 3), (4, 3, 5, 2), (5, 2, 5, 3)]
            )
        )
        selector = "&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}"
        warning = (
            f"Pods selected by this PodDisruptionBudget (selector: {selector}) were found to be unmanaged. "
            "As a result, the status of the PDB cannot be calculated correctly, which may result in undefined "
            'behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an '
            "integer value."
        )
        await r.until(lambda: r.messages("UnmanagedPods") == [warning, warning])


async def test_node16_replication_controller_scale() -> None:
    async with running() as r:
        spec = ReplicationControllerSpec(replicas=2, selector={"app": "web"}, template=template())
        await r.cluster.client.create(
            ReplicationController(metadata=ObjectMeta(name="rc", namespace="default"), spec=spec)
        )
        await r.until(lambda: len(r.ready()) == 2)
        await r.cluster.client.create(pdb(max_unavailable=1))
        await r.until(lambda: r.budgets.get("web", "default") is not None and r.counters() == (2, 1, 2, 1))


@pytest.mark.parametrize(
    ("owner", "why"),
    [
        ("Foo", 'no matches for kind "Foo" in version "example.com/v1"'),
        ("Job", "jobs.batch does not implement the scale subresource"),
    ],
    ids=["unknown-kind", "kind-without-scale"],
)
async def test_node16_an_unresolvable_controller_fails_safe(owner: str, why: str) -> None:
    """NODE-16 fail-safe: a pod whose controller has no scale → Warning
    CalculateExpectedPodCountFailed and DisruptionAllowed False SyncFailed, nothing allowed."""
    async with running() as r:
        client = r.cluster.client
        if owner == "Job":
            uid = (await client.create(job("work", "sleep 3600"))).metadata.uid
            labels = {"batch.kubernetes.io/job-name": "work"}
        else:
            ref = OwnerReference(
                api_version="example.com/v1", kind="Foo", name="f", uid="f-uid", controller=True
            )
            loose = bare_pod("owned")
            loose.metadata.owner_references = [ref]
            uid = (await client.create(loose)).metadata.uid
            labels = {"app": "web"}
        assert uid
        await r.until(lambda: len([p for p in r.pods.list("default") if p.status.phase == "Running"]) == 1)
        await client.create(pdb(max_unavailable=1, selector=LabelSelector(match_labels=labels)))
        await r.until(
            lambda: r.budgets.get("web", "default") is not None and bool(r.budget().status.conditions)
        )
        budget = r.budget()
        assert condition(budget) == ("False", "SyncFailed", why)
        assert budget.status.disruptions_allowed == 0
        message = f"Failed to calculate the number of expected pods: {why}"
        await r.until(lambda: message in r.messages("CalculateExpectedPodCountFailed"))


async def test_node16_a_budget_over_no_pods_allows_nothing() -> None:
    """NODE-16: no matching pods → expected 0, nothing allowed, a Normal NoPods event; an absent
    selector matches no pod, `{}` every pod of the namespace."""
    async with running() as r:
        client = r.cluster.client
        await client.create(bare_pod("a"))
        await r.until(lambda: len(r.ready()) == 1)
        await client.create(pdb("none", min_available=0, selector=LabelSelector(match_labels={"app": "db"})))
        everything = pdb("all", min_available=0)
        everything.spec.selector = LabelSelector()
        await client.create(everything)
        await r.until(
            lambda: (
                r.budgets.get("all", "default") is not None
                and r.budget("all").status.observed_generation == 1
                and r.budget("none").status.observed_generation == 1
            )
        )
        assert r.counters("none") == (0, 0, 0, 0) and condition(r.budget("none"))[:2] == (
            "False",
            "InsufficientPods",
        )
        assert r.counters("all") == (1, 0, 1, 1) and condition(r.budget("all"))[:2] == (
            "True",
            "SufficientPods",
        )
        await r.until(lambda: "No matching pods found" in r.messages("NoPods"))


async def test_node16_a_spec_change_is_observed() -> None:
    """NODE-16: a new generation (minAvailable 1 → 2) is recomputed and observed."""
    async with running() as r:
        client = r.cluster.client
        for name in ("a", "b", "c"):
            await client.create(bare_pod(name))
        await r.until(lambda: len(r.ready()) == 3)
        await client.create(pdb(min_available=1))
        await r.until(lambda: r.budgets.get("web", "default") is not None and r.counters() == (3, 1, 3, 2))
        await client.patch(PodDisruptionBudget, "web", {"spec": {"minAvailable": 2}}, "default")
        await r.until(lambda: r.budget().status.observed_generation == 2 and r.counters() == (3, 2, 3, 1))
        assert [c.observed_generation for c in r.budget().status.conditions] == [2]


async def test_node16_restart_between_eviction_and_expiry() -> None:
    """NODE-16 across a restart: the disruptedPods entry lives in the PDB's status, so a new
    controller honours it and still drops it 2 minutes after the eviction."""
    async with MemoryStorage(history=10_000) as storage:
        async with running(storage=storage) as r:
            client = r.cluster.client
            for name in ("a", "b", "c"):
                await client.create(bare_pod(name))
            await r.until(lambda: len(r.ready()) == 3)
            await client.create(pdb(min_available=1))
            await r.until(
                lambda: r.budgets.get("web", "default") is not None and r.counters() == (3, 1, 3, 2)
            )
            body = eviction("a")
            body.delete_options = DeleteOptions(preconditions=Preconditions(uid="stale"))
            with pytest.raises(Exception, match="the UID in the precondition"):
                await client.evict(body)
            evicted_at = r.clock.now()
            clock = r.clock
        async with running(storage=storage, clock=clock) as r:
            await r.until(lambda: r.counters() == (3, 1, 2, 1))
            assert list(r.budget().status.disrupted_pods) == ["a"]
            await r.until(lambda: r.counters() == (3, 1, 3, 2), seconds=30)
            assert r.clock.now() - evicted_at >= 119
