"""PodDisruptionBudgets on a whole cluster: the disruption controller (NODE-16) and evictions
(NODE-15) against ReplicaSets and Deployments whose pods run on fake nodes with the kubelet."""

from __future__ import annotations

import anyio
import pytest

from kubelite.api.errors import APIError, Conflict, TooManyRequests
from kubelite.api.meta import DeleteOptions, Preconditions, StatusCause

from ..replicaset.support import replica_set
from .support import eviction, pdb, running

pytestmark = pytest.mark.anyio


async def test_node15_node16_min_available_2_over_3_ready_pods() -> None:
    """The issue's scenario. NODE-16: 3 ready pods under minAvailable 2 → expected 3, desired 2,
    current 3, 1 disruption allowed, DisruptionAllowed True SufficientPods. NODE-15: one eviction
    succeeds; the next is 429 until the replacement pod is Ready, then succeeds."""
    async with running() as r:
        client = r.cluster.client
        await client.create(replica_set(replicas=3))
        await r.until(lambda: len(r.ready()) == 3)
        await client.create(pdb(min_available=2))
        await r.until(lambda: r.budgets.get("web", "default") is not None and r.counters() == (3, 2, 3, 1))
        status = r.budget().status
        assert status.observed_generation == 1 and status.disrupted_pods == {}
        assert [(c.type, c.status, c.reason) for c in status.conditions] == [
            ("DisruptionAllowed", "True", "SufficientPods")
        ]
        await r.cordon(True)  # the replacement stays Pending until the nodes are uncordoned
        first, second, _ = r.ready()
        await client.evict(eviction(first.metadata.name))
        await r.until(lambda: r.counters()[2:] == (2, 0))
        with pytest.raises(TooManyRequests) as refused:
            await client.evict(eviction(second.metadata.name))
        cause = "The disruption budget web needs 2 healthy pods and has 2 currently"
        assert refused.value.causes == [StatusCause(reason="DisruptionBudget", message=cause)]
        budget = r.budget()
        assert [(c.type, c.status, c.reason) for c in budget.status.conditions] == [
            ("DisruptionAllowed", "False", "InsufficientPods")
        ]
        await r.cordon(False)
        await r.until(lambda: len(r.ready()) == 3 and r.counters()[2:] == (3, 1))
        await client.evict(eviction(second.metadata.name))
        evicted = r.pods.get(second.metadata.name, "default")
        assert evicted is None or evicted.metadata.deletion_timestamp is not None


async def test_node16_disrupted_pods_entry_expires_after_2_minutes() -> None:
    """NODE-16: an eviction whose delete failed after the spend keeps the pod out of
    currentHealthy until its disruptedPods entry expires, 2 minutes later on the virtual clock;
    then the pod counts again, and the pod gets a Warning NotDeleted event."""
    async with running() as r:
        client = r.cluster.client
        await client.create(replica_set(replicas=3))
        await r.until(lambda: len(r.ready()) == 3)
        await client.create(pdb(min_available=1))
        await r.until(lambda: r.budgets.get("web", "default") is not None and r.counters() == (3, 1, 3, 2))
        victim = r.ready()[0].metadata.name
        body = eviction(victim)
        body.delete_options = DeleteOptions(preconditions=Preconditions(uid="someone-else"))
        started = r.clock.now()
        with pytest.raises(Conflict, match="the UID in the precondition"):
            await client.evict(body)
        await r.until(lambda: r.counters() == (3, 1, 2, 1))
        assert list(r.budget().status.disrupted_pods) == [victim]
        await r.until(lambda: r.counters() == (3, 1, 3, 2), seconds=30)
        assert r.clock.now() - started >= 119
        assert r.budget().status.disrupted_pods == {}
        message = "Pod was expected by PDB default/default to be deleted but it wasn't"
        await r.until(lambda: r.messages("NotDeleted") == [message])


async def test_node15_node16_concurrent_evictions_never_exceed_the_budget() -> None:
    """NODE-15/NODE-16 under races: 5 ready pods, minAvailable 3 (2 disruptions allowed), every pod
    evicted at once while the disruption controller keeps syncing and no replacement can become
    Ready: exactly 2 evictions succeed, the other 3 are 429, and the settled status allows none."""
    async with running() as r:
        client = r.cluster.client
        await client.create(replica_set(replicas=5))
        await r.until(lambda: len(r.ready()) == 5)
        await client.create(pdb(min_available=3))
        await r.until(lambda: r.budgets.get("web", "default") is not None and r.counters()[1:] == (3, 5, 2))
        await r.cordon(True)
        codes: list[int] = []

        async def evict(name: str) -> None:
            try:
                await client.evict(eviction(name))
                codes.append(201)
            except APIError as err:
                codes.append(err.status.code)

        async with anyio.create_task_group() as group:
            for pod in r.ready():
                group.start_soon(evict, pod.metadata.name)
        assert sorted(codes) == [201, 201, 429, 429, 429]
        await r.until(lambda: r.counters()[2:] == (3, 0))
        assert len(r.ready()) == 3
