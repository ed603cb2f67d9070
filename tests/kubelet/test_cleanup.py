"""Pod cleanup against the runtime (upstream's HandlePodCleanups: at start and every 2 s).

Pods deleted while the kubelet was down leave containers, sandboxes and pod IPs in the runtime;
a kubelet that starts on that runtime removes them before anything else and adopts the sandboxes
of pods that still exist. The periodic pass removes a sandbox created behind the kubelet's back
(containers stopped, IP released) and ends a pod worker whose pod left the API unheard.
"""

from __future__ import annotations

from pathlib import Path

import anyio
import anyio.abc
import pytest

from kubelite.api.core import Container, EmptyDirVolumeSource, Pod, Volume, VolumeMount
from kubelite.api.meta import DeleteOptions
from kubelite.cri import (
    ContainerConfig,
    ContainerFilter,
    ContainerMetadata,
    PodSandboxConfig,
    PodSandboxFilter,
    PodSandboxMetadata,
)
from kubelite.kubelet import Kubelet
from kubelite.kubelet.podstate import POD_UID_LABEL
from tests.kubelet.harness import IMAGE, Cluster, cluster, make_pod

pytestmark = pytest.mark.anyio

FORCE = DeleteOptions(grace_period_seconds=0)


def _running(c: Cluster, *names: str) -> bool:
    return all((p := c.pod(n)) is not None and p.status.phase == "Running" for n in names)


async def _owners(c: Cluster) -> list[str]:
    """The pod UID of every sandbox and of every container in node-1's runtime."""
    runtime = c.runtimes["node-1"]
    sandboxes = [s.labels.get(POD_UID_LABEL, "") for s in await runtime.list_pod_sandbox()]
    containers = [info.labels.get(POD_UID_LABEL, "") for info in await runtime.list_containers()]
    return sorted(sandboxes + containers)


async def test_pods_deleted_while_the_kubelet_was_down_are_removed_from_the_runtime_at_start() -> None:
    async with cluster() as c:
        for name in ("gone-1", "gone-2", "kept"):
            await c.client.create(make_pod(name, "sleep", "3600"))
        await c.until(lambda: _running(c, "gone-1", "gone-2", "kept"))
        kept = c.pod("kept")
        assert kept is not None
        kept_container = kept.status.container_statuses[0].container_id
        c.stop_node("node-1")
        await c.run_for(1)
        for name in ("gone-1", "gone-2"):
            await c.client.delete(Pod, name, "default", options=FORCE)
        await c.until(lambda: c.pod("gone-1") is None and c.pod("gone-2") is None)
        await c.run_for(30)
        assert len(c.network) == 3  # nobody cleaned up while the kubelet was down
        assert len(await _owners(c)) == 6

        old = c.kubelets["node-1"]
        restarted = Kubelet(
            c.client,
            c.runtimes["node-1"],
            c.images,
            old.config,
            c.dispatcher,
            clock=c.clock,
            network=c.probes,
        )
        started = c.clock.monotonic()
        await c.group.start(restarted.run)
        await c.until(lambda: len(c.network) == 1)
        assert c.clock.monotonic() == started  # the first pass runs at start
        assert await _owners(c) == [kept.metadata.uid] * 2
        await c.run_for(30)
        again = c.pod("kept")
        assert again is not None and again.status.phase == "Running"
        assert again.status.container_statuses[0].container_id == kept_container  # adopted, not removed
        assert (
            again.status.pod_ip
            == kept.status.pod_ip
            == c.network.address_of((await c.runtimes["node-1"].list_pod_sandbox())[0].id)
        )


async def test_the_periodic_pass_removes_a_sandbox_created_behind_the_kubelets_back() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("kept", "sleep", "3600"))
        await c.until(lambda: _running(c, "kept"))
        runtime = c.runtime
        ghost = PodSandboxConfig(
            metadata=PodSandboxMetadata(name="ghost", uid="ghost-uid", namespace="default"),
            labels={POD_UID_LABEL: "ghost-uid"},
        )
        ghost_id = await runtime.run_pod_sandbox(ghost)
        config = ContainerConfig(
            metadata=ContainerMetadata(name="c"),
            image=IMAGE,
            command=("sh", "-c", "trap '' TERM; sleep 3600"),
            labels={POD_UID_LABEL: "ghost-uid"},
        )
        await runtime.start_container(await runtime.create_container(ghost_id, config, ghost))
        foreign_id = await runtime.run_pod_sandbox(
            PodSandboxConfig(metadata=PodSandboxMetadata(name="foreign", uid="x", namespace="default"))
        )
        created = c.clock.monotonic()
        assert c.network.address_of(ghost_id) is not None
        await c.until(lambda: c.network.address_of(ghost_id) is None)
        assert 0 < c.clock.monotonic() - created <= 2 + 1 + 0.01  # the next pass, and a 1 s grace
        assert await runtime.list_pod_sandbox(PodSandboxFilter(id=ghost_id)) == []
        assert await runtime.list_containers(ContainerFilter(pod_sandbox_id=ghost_id)) == []
        unlabelled = await runtime.list_pod_sandbox(PodSandboxFilter(id=foreign_id))
        assert len(unlabelled) == 1  # a sandbox with no pod UID label is not the kubelet's
        kept = c.pod("kept")
        assert kept is not None and kept.status.phase == "Running"
        assert kept.status.container_statuses[0].restart_count == 0


async def test_a_worker_whose_pod_left_the_api_unheard_is_ended_by_the_periodic_pass() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("missed", "sleep", "3600"))
        await c.until(lambda: _running(c, "missed"))
        pod = c.pod("missed")
        assert pod is not None
        kubelet = c.kubelets["node-1"]
        c.dispatcher.detach("node-1")  # the kubelet stops hearing about its pods ...
        await c.client.delete(Pod, "missed", "default", options=FORCE)
        await c.until(lambda: c.pod("missed") is None)
        c.dispatcher.attach("node-1", kubelet)  # ... and the delete was never delivered
        assert pod.metadata.uid in kubelet.workers
        attached = c.clock.monotonic()
        await c.until(lambda: pod.metadata.uid not in kubelet.workers)
        assert c.clock.monotonic() - attached <= 2 + 0.01  # the next pass, not the 60 s resync
        assert await _owners(c) == []
        assert len(c.network) == 0


async def test_at_start_the_directories_of_unknown_pods_are_removed(tmp_path: Path) -> None:
    volume = Volume(name="scratch", empty_dir=EmptyDirVolumeSource())
    main = Container(
        name="main",
        image=IMAGE,
        command=["sleep", "3600"],
        volume_mounts=[VolumeMount(name="scratch", mount_path="/s")],
    )
    async with cluster() as c:
        c.stop_node("node-1")
        await c.run_for(1)
        old = c.kubelets["node-1"]
        first = Kubelet(
            c.client,
            c.runtimes["node-1"],
            c.images,
            old.config,
            c.dispatcher,
            clock=c.clock,
            data_dir=tmp_path,
        )
        scope = anyio.CancelScope()

        async def run_first(*, task_status: anyio.abc.TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
            with scope:
                await first.run(task_status=task_status)

        await c.group.start(run_first)
        pod = make_pod("vol", containers=[main])
        pod.spec.volumes = [volume]
        await c.client.create(pod)
        await c.until(lambda: _running(c, "vol"))
        found = c.pod("vol")
        assert found is not None
        pods = tmp_path / "kubelet" / "node-1" / "pods"
        stray = pods / "uid-of-a-pod-deleted-mid-teardown" / "volumes" / "scratch"
        stray.mkdir(parents=True)
        scope.cancel()
        await c.run_for(1)

        second = Kubelet(
            c.client,
            c.runtimes["node-1"],
            c.images,
            old.config,
            c.dispatcher,
            clock=c.clock,
            data_dir=tmp_path,
        )
        await c.group.start(second.run)
        await c.until(lambda: not stray.parent.parent.exists())
        assert sorted(p.name for p in pods.iterdir()) == [found.metadata.uid]


async def test_a_pod_terminating_when_the_kubelet_went_down_is_deleted_only_once_stopped() -> None:
    """KUB-12 across a restart: the new kubelet adopts the terminating pod's sandbox and stops its
    containers within the pod's grace period, and only then deletes the object. Before, it found
    no sandbox of its own and deleted the object at once, its container still running (left to
    the orphan cleanup). The SIGKILL is due at the deadline the first kubelet's stop set."""
    async with cluster() as c:
        sent = make_pod("slow", "sh", "-c", "trap '' TERM; sleep 3600")
        sent.spec.termination_grace_period_seconds = 60
        await c.client.create(sent)
        await c.until(lambda: _running(c, "slow"))
        deleted_at = c.clock.monotonic()
        await c.client.delete(Pod, "slow", "default")
        await c.run_for(10)
        c.stop_node("node-1")
        await c.run_for(10)
        old = c.kubelets["node-1"]
        restarted = Kubelet(
            c.client,
            c.runtimes["node-1"],
            c.images,
            old.config,
            c.dispatcher,
            clock=c.clock,
            network=c.probes,
        )
        await c.group.start(restarted.run)
        await c.run_for(1)
        assert c.pod("slow") is not None, "the object stays while its container runs"
        infos = await c.runtime.list_containers()
        assert [(await c.runtime.container_status(i.id)).state.name for i in infos] == ["RUNNING"]
        await c.until(lambda: c.pod("slow") is None)
        assert c.clock.monotonic() - deleted_at == pytest.approx(60, abs=0.5)
        await c.run_for(5)
        assert await _owners(c) == [] and len(c.network) == 0
