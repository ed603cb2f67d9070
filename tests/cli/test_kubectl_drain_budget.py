"""`kubectl drain` against a PodDisruptionBudget (NODE-14 (4)+(5) with NODE-15's 429): kubectl
retries a refused eviction every 5 s with the budget's message until the budget allows it (here
the ReplicaSet is scaled up, or the budget deleted), then finishes; with `--timeout` it gives up
with kubectl's timeout error and the pods stay. The cluster runs on the real clock (kubectl's retry
is a real 5 s), so each of these tests takes about 5-10 s."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelite.api.policy import PodDisruptionBudget
from tests.cli.drain_support import DrainCluster, drain_cluster

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(120)]

REPLICA_SET = """apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "busybox:1.36", command: [sleep, "3600"]}]
"""
REFUSED = "Cannot evict pod as it would violate the pod's disruption budget."


def _retry(name: str) -> str:
    return f'error when evicting pods/"{name}" -n "default" (will retry after 5s): {REFUSED}'


def _names(c: DrainCluster, node: str) -> list[str]:
    return [p.metadata.name for p in c.on_node(node)]


def _unmarked(c: DrainCluster, names: list[str]) -> bool:
    return all((p := c.pod(n)) is not None and p.metadata.deletion_timestamp is None for n in names)


def _budget_settled(c: DrainCluster, allowed: int, healthy: int) -> bool:
    budget = c.budgets.get("web", "default")
    if budget is None or budget.status.observed_generation != budget.metadata.generation:
        return False
    return (budget.status.disruptions_allowed, budget.status.current_healthy) == (allowed, healthy)


async def _two_pods_on_node_1_under_a_budget(c: DrainCluster) -> list[str]:
    """A 2-replica ReplicaSet on node-1 and a budget `minAvailable: 2` over it, settled at
    disruptionsAllowed 0."""
    await c.run("cordon", "node-2")
    assert (await c.kubectl.run("apply", "-f", "-", stdin=REPLICA_SET)).code == 0
    await c.until(lambda: len(_names(c, "node-1")) == 2 and c.running(*_names(c, "node-1")))
    await c.run("uncordon", "node-2")
    created = await c.run("create", "pdb", "web", "--selector=app=web", "--min-available=2")
    assert created.stdout == "poddisruptionbudget.policy/web created\n", created.stderr
    await c.until(lambda: _budget_settled(c, allowed=0, healthy=2))
    return _names(c, "node-1")


async def test_node14_a_budget_refusal_is_retried_every_5s_until_scaling_up_allows_it(tmp_path: Path) -> None:
    """NODE-14 (4): each eviction the budget refuses (429) is retried after 5 s, kubectl printing
    'error when evicting pods/"x" -n "default" (will retry after 5s): Cannot evict pod as it would
    violate the pod's disruption budget.'; scaling the ReplicaSet to 4 (the new pods go to node-2)
    lets the budget allow both, and the drain finishes (exit 0) once they are gone."""
    async with drain_cluster(tmp_path) as c:
        first = await _two_pods_on_node_1_under_a_budget(c)
        drain = await c.start("drain", "node-1")
        retries = {_retry(n) for n in first}
        for _ in first:
            retries.discard(await drain.stderr_line(lambda line: line in retries))
        assert _unmarked(c, first)

        scaled = await c.run("scale", "replicaset", "web", "--replicas=4")
        assert scaled.stdout == "replicaset.apps/web scaled\n", scaled.stderr
        done = await drain.finish()
        assert done.code == 0, done.stderr
        lines = done.stdout.splitlines()
        assert (lines[0], lines[-1]) == ("node/node-1 cordoned", "node/node-1 drained")
        assert {f"pod/{n} evicted" for n in first} <= set(lines)
        assert {line for line in lines[1:-1] if not line.endswith(" evicted")} == {
            f"evicting pod default/{n}" for n in first
        }
        assert set(done.stderr.splitlines()) == {_retry(n) for n in first}
        assert all(c.pod(n) is None for n in first)
        await c.until(lambda: len(_names(c, "node-2")) == 4 and c.running(*_names(c, "node-2")))
        assert _names(c, "node-1") == []


async def test_node14_deleting_the_budget_lets_the_retried_eviction_through(tmp_path: Path) -> None:
    """NODE-14 (4): the retry goes through once the refusing budget is gone."""
    async with drain_cluster(tmp_path) as c:
        first = await _two_pods_on_node_1_under_a_budget(c)
        drain = await c.start("drain", "node-1", "--timeout=60s")
        await drain.stderr_line(lambda line: line == _retry(first[0]))
        assert (await c.run("delete", "pdb", "web")).stdout == 'poddisruptionbudget.policy "web" deleted\n'
        done = await drain.finish()
        assert done.code == 0, done.stderr
        assert done.stdout.splitlines()[-1] == "node/node-1 drained"
        assert all(c.pod(n) is None for n in first)


async def test_node14_a_budget_that_never_allows_ends_in_kubectls_timeout(tmp_path: Path) -> None:
    """NODE-14 (5): with --timeout=3s and a budget that never allows, kubectl fails (exit 1) with
    its global-timeout error after the retry, and neither pod is evicted."""
    async with drain_cluster(tmp_path) as c:
        first = await _two_pods_on_node_1_under_a_budget(c)
        done = await (await c.start("drain", "node-1", "--timeout=3s")).finish()
        assert done.code == 1
        assert sorted(done.stdout.splitlines()) == sorted(
            ["node/node-1 cordoned"] + [f"evicting pod default/{n}" for n in first] * 2  # first try, retry
        )
        err = done.stderr.splitlines()
        assert set(err[:2]) == {_retry(n) for n in first}
        order = sorted(first, key=lambda n: err[2].index(f'"{n}"'))
        reached = [f'error when evicting pods/"{n}" -n "default": global timeout reached: 3s' for n in order]
        both = f"[{reached[0]}, {reached[1]}]"
        assert err[2:] == [
            f'There are pending pods in node "node-1" when an error occurred: {both}',
            *(f"pod/{n}" for n in first),
            f'error: unable to drain node "node-1" due to error: {both}, continuing command...',
            "There are pending nodes to be drained:",
            " node-1",
            *reached,
        ]
        assert _unmarked(c, first)
        budget = await c.client.get(PodDisruptionBudget, "web", "default")
        assert (budget.status.disruptions_allowed, budget.status.disrupted_pods) == (0, {})


async def test_node14_two_budgets_over_a_pod_fail_the_drain_at_once(tmp_path: Path) -> None:
    """NODE-14 (4) with NODE-15's 500: a pod covered by two budgets cannot be evicted; kubectl does
    not retry that error, the drain fails (exit 1) with the server's message and the pods stay."""
    async with drain_cluster(tmp_path) as c:
        first = await _two_pods_on_node_1_under_a_budget(c)
        second = await c.run("create", "pdb", "web-too", "--selector=app=web", "--max-unavailable=1")
        assert second.code == 0, second.stderr
        done = await (await c.start("drain", "node-1", "--timeout=30s")).finish()
        assert done.code == 1
        assert sorted(done.stdout.splitlines()) == sorted(
            ["node/node-1 cordoned"] + [f"evicting pod default/{n}" for n in first]
        )
        why = (
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
        )
        err = done.stderr.splitlines()
        order = sorted(first, key=lambda n: err[0].index(f'"{n}"'))
        failed = [f'error when evicting pods/"{n}" -n "default": {why}' for n in order]
        both = f"[{failed[0]}, {failed[1]}]"
        assert err == [
            f'There are pending pods in node "node-1" when an error occurred: {both}',
            *(f"pod/{n}" for n in first),
            f'error: unable to drain node "node-1" due to error: {both}, continuing command...',
            "There are pending nodes to be drained:",
            " node-1",
            *failed,
        ]
        assert _unmarked(c, first)
