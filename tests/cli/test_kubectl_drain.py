"""The real kubectl's `cordon`, `uncordon` and `drain` against the whole local cluster (NODE-13,
NODE-14): cordon's taint, drain's pod filters (controller-less, emptyDir, mirror pods) with kubectl's
exact errors and warnings, eviction of a ReplicaSet's pods that come back on the other node, the
wait for the pods to be gone and its `--timeout`, and a pod that vanishes before its eviction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from kubelite.api.apps import DaemonSet
from kubelite.api.core import EmptyDirVolumeSource, Node, Pod, Volume
from kubelite.api.meta import DeleteOptions, OwnerReference
from tests.cli.drain_support import DrainCluster, drain_cluster, pod

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(120)]

UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
PENDING = "There are pending nodes to be drained:\n node-1\n"

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


def _taints(c: DrainCluster, name: str) -> list[tuple[str, str]]:
    node = c.nodes.get(name)
    assert node is not None
    return [(t.key, t.effect) for t in node.spec.taints]


async def _pods_running(c: DrainCluster, *pods: Pod) -> None:
    for made in pods:
        await c.client.create(made)
    await c.until(lambda: c.running(*(p.metadata.name for p in pods)))


def _untouched(c: DrainCluster, *names: str) -> bool:
    return all((p := c.pod(n)) is not None and p.metadata.deletion_timestamp is None for n in names)


async def test_node13_cordon_taints_the_node_running_pods_stay_and_uncordon_reverses_both(
    tmp_path: Path,
) -> None:
    """NODE-13: cordon sets spec.unschedulable=true, which brings the unschedulable:NoSchedule
    taint; uncordon reverses both; running pods are unaffected (same pod, still Running); a missing
    node is kubectl's NotFound."""
    async with drain_cluster(tmp_path) as c:
        await _pods_running(c, pod("resident"))
        uid = c.pod("resident").metadata.uid  # type: ignore[union-attr]
        cordoned = await c.run("cordon", "node-1")
        assert (cordoned.code, cordoned.stdout, cordoned.stderr) == (0, "node/node-1 cordoned\n", "")
        await c.until(lambda: _taints(c, "node-1") == [(UNSCHEDULABLE, "NoSchedule")])
        assert (await c.client.get(Node, "node-1")).spec.unschedulable is True
        again = await c.run("cordon", "node-1")
        assert (again.code, again.stdout) == (0, "node/node-1 already cordoned\n")
        resident = c.pod("resident")
        assert resident is not None and resident.metadata.uid == uid
        assert resident.status.phase == "Running" and resident.metadata.deletion_timestamp is None

        uncordoned = await c.run("uncordon", "node-1")
        assert (uncordoned.code, uncordoned.stdout, uncordoned.stderr) == (0, "node/node-1 uncordoned\n", "")
        await c.until(lambda: _taints(c, "node-1") == [])
        assert not (await c.client.get(Node, "node-1")).spec.unschedulable
        assert _untouched(c, "resident") and c.running("resident")
        missing = await c.run("cordon", "node-9")
        assert (missing.code, missing.stderr) == (
            1,
            'Error from server (NotFound): nodes "node-9" not found\n',
        )


async def test_node14_controllerless_pods_are_an_error_and_nothing_is_evicted_unless_force(
    tmp_path: Path,
) -> None:
    """NODE-14 (1)-(3): drain cordons, lists the node's pods, and a pod with no controller is an
    error ("cannot delete Pods that declare no controller (use --force to override)"): nothing is
    evicted, the other node's pods neither. With --force it is evicted with kubectl's warning."""
    async with drain_cluster(tmp_path) as c:
        await _pods_running(c, pod("solo"), pod("elsewhere", "node-2"))
        refused = await c.run("drain", "node-1")
        # kubectl 1.32 prefixes "cannot delete " to every filter error, this one included
        message = "cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo"
        assert (refused.code, refused.stdout) == (1, "node/node-1 cordoned\n")
        assert refused.stderr == (
            f'error: unable to drain node "node-1" due to error: {message}, continuing command...\n'
            f"{PENDING}{message}\n"
        )
        assert _untouched(c, "solo", "elsewhere") and c.running("solo")
        assert (await c.client.get(Node, "node-1")).spec.unschedulable is True

        forced = await c.run("drain", "node-1", "--force", "--timeout=30s")
        assert forced.code == 0, forced.stderr
        assert forced.stdout == (
            "node/node-1 already cordoned\nevicting pod default/solo\npod/solo evicted\nnode/node-1 drained\n"
        )
        assert forced.stderr == "Warning: deleting Pods that declare no controller: default/solo\n"
        assert c.pod("solo") is None and _untouched(c, "elsewhere")


async def test_node14_emptydir_pods_need_delete_emptydir_data_and_mirror_pods_are_skipped(
    tmp_path: Path,
) -> None:
    """NODE-14 (3): a pod with an emptyDir volume is an error ("cannot delete Pods with local
    storage (use --delete-emptydir-data to override)") unless --delete-emptydir-data; a mirror pod
    (annotation kubernetes.io/config.mirror) is skipped: never evicted, not an error."""
    scratch = [Volume(name="scratch", empty_dir=EmptyDirVolumeSource())]
    async with drain_cluster(tmp_path) as c:
        await _pods_running(
            c,
            pod("scratch", volumes=scratch),
            pod("static", annotations={"kubernetes.io/config.mirror": "hash"}),
        )
        refused = await c.run("drain", "node-1", "--force")
        message = (
            "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch"
        )
        assert (refused.code, refused.stdout) == (1, "node/node-1 cordoned\n")
        assert refused.stderr == (
            f'error: unable to drain node "node-1" due to error: {message}, continuing command...\n'
            f"{PENDING}{message}\n"
        )
        assert _untouched(c, "scratch", "static")

        drained = await c.run("drain", "node-1", "--force", "--delete-emptydir-data", "--timeout=30s")
        assert drained.code == 0, drained.stderr
        assert drained.stdout == (
            "node/node-1 already cordoned\nevicting pod default/scratch\npod/scratch evicted\n"
            "node/node-1 drained\n"
        )
        # kubectl keeps only the last filter's warning: the controller-less one (filters.go)
        assert drained.stderr == "Warning: deleting Pods that declare no controller: default/scratch\n"
        assert c.pod("scratch") is None
        assert _untouched(c, "static") and c.running("static")


async def test_node14_a_replica_sets_pods_are_evicted_waited_for_and_recreated_on_the_other_node(
    tmp_path: Path,
) -> None:
    """NODE-14 (4)+(5): kubectl posts an Eviction for each pod (DisruptionTarget, then a graceful delete) and
    prints "evicting pod" for each, waits until each is gone ("pod/x evicted") and ends with
    "node/node-1 drained"; the ReplicaSet replaces them on node-2 (node-1 is cordoned). Draining
    again finds nothing to evict."""
    async with drain_cluster(tmp_path) as c:
        await c.run("cordon", "node-2")
        applied = await c.kubectl.run("apply", "-f", "-", stdin=REPLICA_SET)
        assert applied.code == 0, applied.stderr
        await c.until(lambda: len(c.on_node("node-1")) == 2 and c.running(*_names(c, "node-1")))
        first = _names(c, "node-1")
        await c.run("uncordon", "node-2")

        drained = await c.run("drain", "node-1", "--timeout=30s")
        assert drained.code == 0, drained.stderr
        lines = drained.stdout.splitlines()
        assert (lines[0], lines[-1]) == ("node/node-1 cordoned", "node/node-1 drained")
        assert sorted(lines[1:-1]) == sorted(
            [f"evicting pod default/{n}" for n in first] + [f"pod/{n} evicted" for n in first]
        )
        assert lines.index(f"pod/{first[0]} evicted") > lines.index(f"evicting pod default/{first[0]}")
        assert drained.stderr == ""
        assert all(c.pod(n) is None for n in first)  # kubectl returned only once they were gone
        evicted = ("True", "EvictionByEvictionAPI", "Eviction API: evicting")
        assert {n: c.disruptions.get(n) for n in first} == dict.fromkeys(first, evicted)
        await c.until(lambda: len(c.on_node("node-2")) == 2 and c.running(*_names(c, "node-2")))
        assert c.on_node("node-1") == [] and not set(_names(c, "node-2")) & set(first)
        again = await c.run("drain", "node-1")  # a repeat finds nothing left to evict
        assert (again.code, again.stdout, again.stderr) == (
            0,
            "node/node-1 already cordoned\nnode/node-1 drained\n",
            "",
        )


def _names(c: DrainCluster, node: str) -> list[str]:
    return [p.metadata.name for p in c.on_node(node)]


async def test_node14_timeout_expiry_while_a_pod_terminates_is_kubectls_error(tmp_path: Path) -> None:
    """NODE-14 (5): a pod that ignores SIGTERM with a 30 s grace period is still terminating when
    --timeout=2s expires: kubectl fails with its timeout error and the pod stays Terminating. A
    second drain with --grace-period=1 (the Eviction's deleteOptions) shortens the grace period and
    the pod goes."""
    async with drain_cluster(tmp_path) as c:
        stubborn = pod("stubborn", command=("sh", "-c", "trap '' TERM; sleep 3600"), grace=30)
        await _pods_running(c, stubborn)
        timed_out = await c.run("drain", "node-1", "--force", "--timeout=2s")
        assert timed_out.code == 1
        assert timed_out.stdout == "node/node-1 cordoned\nevicting pod default/stubborn\n"
        waiting = 'error when waiting for pod "stubborn" in namespace "default" to terminate: context deadline exceeded'
        assert timed_out.stderr == (
            "Warning: deleting Pods that declare no controller: default/stubborn\n"
            f'There are pending pods in node "node-1" when an error occurred: {waiting}\npod/stubborn\n'
            f'error: unable to drain node "node-1" due to error: {waiting}, continuing command...\n'
            f"{PENDING}{waiting}\n"
        )
        terminating = c.pod("stubborn")
        assert terminating is not None and terminating.metadata.deletion_timestamp is not None
        assert terminating.metadata.deletion_grace_period_seconds == 30

        # Again with --grace-period=1: the Eviction's deleteOptions shorten the pod's grace period.
        again = await c.run("drain", "node-1", "--force", "--grace-period=1", "--timeout=30s")
        assert again.code == 0, again.stderr
        assert again.stdout == (
            "node/node-1 already cordoned\nevicting pod default/stubborn\npod/stubborn evicted\n"
            "node/node-1 drained\n"
        )
        assert c.pod("stubborn") is None


Action = Callable[[], Awaitable[object]]


def _once_before(method: str, path: str, action: list[Action]) -> Middleware:
    """A second writer: runs `action[0]` once, just before the first `method` request to `path`
    made after the test filled `action` reaches the API."""
    done: list[bool] = []

    @web.middleware
    async def race(request: web.Request, handler: Handler) -> web.StreamResponse:
        if (request.method, request.path) == (method, path) and action and not done:
            done.append(True)
            await action[0]()
        return await handler(request)

    return race


async def test_node14_a_pod_gone_before_its_eviction_counts_as_done(tmp_path: Path) -> None:
    """NODE-14 (4): the eviction of a pod deleted meanwhile by another writer is a 404 NotFound,
    which kubectl counts as done: the drain succeeds and the node's other pod is evicted too."""
    action: list[Action] = []
    race = _once_before("POST", "/api/v1/namespaces/default/pods/gone/eviction", action)
    async with drain_cluster(tmp_path, middlewares=[race]) as c:
        action.append(
            lambda: c.client.delete(Pod, "gone", "default", options=DeleteOptions(grace_period_seconds=0))
        )
        await _pods_running(c, pod("gone"), pod("stays"))
        drained = await c.run("drain", "node-1", "--force", "--timeout=30s")
        assert drained.code == 0, drained.stderr
        lines = drained.stdout.splitlines()
        assert (lines[0], lines[-1]) == ("node/node-1 cordoned", "node/node-1 drained")
        assert sorted(lines[1:-1]) == [
            "evicting pod default/gone",
            "evicting pod default/stays",
            "pod/stays evicted",
        ]
        assert (
            drained.stderr
            == "Warning: deleting Pods that declare no controller: default/gone, default/stays\n"
        )
        assert c.pod("gone") is None and c.pod("stays") is None


DAEMON_SET = """apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36", command: [sleep, "3600"]}]
"""


async def test_node14_daemonset_pods_are_an_error_unless_ignore_daemonsets_then_skipped(
    tmp_path: Path,
) -> None:
    """NODE-14 (3): kubectl looks a pod's DaemonSet controller up (GET apps/v1 daemonsets); a pod of an
    existing DaemonSet is an error ("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
    unless --ignore-daemonsets, which skips it with kubectl's warning and drains the rest."""
    async with drain_cluster(tmp_path) as c:
        applied = await c.kubectl.run("apply", "-f", "-", stdin=DAEMON_SET)
        assert (applied.code, applied.stdout) == (0, "daemonset.apps/agent created\n"), applied.stderr
        owner = await c.client.get(DaemonSet, "agent", "default")
        ref = OwnerReference(
            api_version="apps/v1", kind="DaemonSet", name="agent", uid=owner.metadata.uid, controller=True
        )
        await _pods_running(c, pod("agent-node-1", owner=ref), pod("solo"))
        refused = await c.run("drain", "node-1", "--force")
        message = (
            "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-node-1"
        )
        assert (refused.code, refused.stdout) == (1, "node/node-1 cordoned\n")
        assert refused.stderr == (
            f'error: unable to drain node "node-1" due to error: {message}, continuing command...\n'
            f"{PENDING}{message}\n"
        )
        assert _untouched(c, "agent-node-1", "solo")

        drained = await c.run("drain", "node-1", "--force", "--ignore-daemonsets", "--timeout=30s")
        assert drained.code == 0, drained.stderr
        assert drained.stdout == (
            "node/node-1 already cordoned\nevicting pod default/solo\npod/solo evicted\nnode/node-1 drained\n"
        )
        warnings = sorted(drained.stderr.removeprefix("Warning: ").removesuffix("\n").split("; "))
        assert warnings == [
            "deleting Pods that declare no controller: default/solo",
            "ignoring DaemonSet-managed Pods: default/agent-node-1",
        ]
        assert c.pod("solo") is None and _untouched(c, "agent-node-1") and c.running("agent-node-1")


async def test_node14_server_dry_run_cordons_and_evicts_nothing(tmp_path: Path) -> None:
    """NODE-14 with --dry-run=server: kubectl sends the cordon patch and every Eviction as dry runs
    and prints what it would do; the node stays schedulable and every pod stays, unmarked."""
    async with drain_cluster(tmp_path) as c:
        await _pods_running(c, pod("solo"))
        dry = await c.run("drain", "node-1", "--force", "--dry-run=server")
        assert dry.code == 0, dry.stderr
        assert dry.stdout == (
            "node/node-1 cordoned (server dry run)\nevicting pod default/solo (server dry run)\n"
            "node/node-1 drained (server dry run)\n"
        )
        node = await c.client.get(Node, "node-1")
        assert not node.spec.unschedulable and node.spec.taints == []
        solo = await c.client.get(Pod, "solo", "default")
        assert solo.metadata.deletion_timestamp is None and c.running("solo")
        assert [cond.type for cond in solo.status.conditions if cond.type == "DisruptionTarget"] == []


async def test_node14_a_daemonset_deleted_during_the_drain_is_kubectls_not_found_error(
    tmp_path: Path,
) -> None:
    """NODE-14 (3): when the pod's DaemonSet is gone by the time kubectl looks it up (deleted by
    another writer just before), kubectl reports the server's NotFound as the pod's error
    (`cannot delete daemonsets.apps "agent" not found`), even with --ignore-daemonsets."""
    action: list[Action] = []
    race = _once_before("GET", "/apis/apps/v1/namespaces/default/daemonsets/agent", action)
    async with drain_cluster(tmp_path, middlewares=[race]) as c:
        assert (await c.kubectl.run("apply", "-f", "-", stdin=DAEMON_SET)).code == 0
        owner = await c.client.get(DaemonSet, "agent", "default")
        ref = OwnerReference(
            api_version="apps/v1", kind="DaemonSet", name="agent", uid=owner.metadata.uid, controller=True
        )
        await _pods_running(c, pod("agent-node-1", owner=ref))
        action.append(lambda: c.client.delete(DaemonSet, "agent", "default"))
        refused = await c.run("drain", "node-1", "--ignore-daemonsets")
        message = 'cannot delete daemonsets.apps "agent" not found: default/agent-node-1'
        assert (refused.code, refused.stdout) == (1, "node/node-1 cordoned\n")
        assert refused.stderr == (
            f'error: unable to drain node "node-1" due to error: {message}, continuing command...\n'
            f"{PENDING}{message}\n"
        )
