"""The node side of the kubelet: registration (NODE-1), the Lease (NODE-2), status reports (NODE-3),
image pulls by policy (KUB-2, KUB-3), configuration errors (KUB-4), host network (KUB-14), logs."""

from __future__ import annotations

import pytest

from kubelite.api.coordination import Lease
from kubelite.api.core import (
    ConfigMap,
    ConfigMapVolumeSource,
    Container,
    EnvVar,
    EnvVarSource,
    Node,
    Pod,
    Volume,
    VolumeMount,
)
from kubelite.api.core.env import ConfigMapKeySelector
from kubelite.api.meta import ObjectMeta
from kubelite.client.errors import BadRequest
from kubelite.clock import parse_rfc3339
from kubelite.kubelet import Kubelet, KubeletConfig
from kubelite.kubelet.images import default_policy
from tests.kubelet.harness import IMAGE, cluster, make_pod

pytestmark = pytest.mark.anyio


def _waiting(pod: Pod | None) -> str:
    if pod is None or not pod.status.container_statuses:
        return ""
    waiting = pod.status.container_statuses[0].state.waiting
    return waiting.reason if waiting is not None else ""


async def test_node1_registers_the_node_with_capacity_and_healthy_conditions() -> None:
    async with cluster() as c:
        node = await c.client.get(Node, "node-1")
        assert node.status.capacity == node.status.allocatable == KubeletConfig("x").capacity
        conditions = {cond.type: (cond.status, cond.reason, cond.message) for cond in node.status.conditions}
        assert conditions == {
            "Ready": ("True", "KubeletReady", "kubelet is posting ready status"),
            "MemoryPressure": (
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            "DiskPressure": ("False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            "PIDPressure": ("False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        }
        assert node.metadata.labels["kubernetes.io/hostname"] == "node-1"
        assert node.status.node_info.kubelet_version.startswith("v1.32")


async def test_node2_lease_is_renewed_every_10_seconds_and_owned_by_the_node() -> None:
    async with cluster() as c:
        await c.run_for(1)
        lease = await c.client.get(Lease, "node-1", "kube-node-lease")
        node = await c.client.get(Node, "node-1")
        assert lease.spec.holder_identity == "node-1" and lease.spec.lease_duration_seconds == 40
        assert [(o.kind, o.name, o.uid) for o in lease.metadata.owner_references] == [
            ("Node", "node-1", node.metadata.uid)
        ]
        first = parse_rfc3339(lease.spec.renew_time or "")
        await c.run_for(10)
        renewed = await c.client.get(Lease, "node-1", "kube-node-lease")
        assert parse_rfc3339(renewed.spec.renew_time or "") - first == pytest.approx(10, abs=0.6)


async def test_node3_status_is_written_only_on_change_or_every_five_minutes() -> None:
    async with cluster() as c:
        node = await c.client.get(Node, "node-1")
        await c.run_for(60)
        assert (
            await c.client.get(Node, "node-1")
        ).metadata.resource_version == node.metadata.resource_version
        await c.run_for(250)
        later = await c.client.get(Node, "node-1")
        assert later.metadata.resource_version != node.metadata.resource_version
        ready = next(cond for cond in later.status.conditions if cond.type == "Ready")
        first = next(cond for cond in node.status.conditions if cond.type == "Ready")
        assert ready.last_transition_time == first.last_transition_time
        assert (
            parse_rfc3339(ready.last_heartbeat_time or "") - parse_rfc3339(first.last_heartbeat_time or "")
            >= 300
        )


def test_kub2_default_pull_policy() -> None:
    assert [
        default_policy(i) for i in ("nginx", "nginx:latest", "nginx:1.25", "nginx@sha256:ab", "r:5000/x")
    ] == [
        "Always",
        "Always",
        "IfNotPresent",
        "IfNotPresent",
        "Always",
    ]


async def test_kub3_failed_pull_shows_err_image_pull_then_image_pull_back_off_and_recovers() -> None:
    async with cluster(present=()) as c:
        c.images.set_pull("nginx:1.25", error="registry unreachable")
        pod = make_pod(
            "img", containers=[Container(name="main", image="nginx:1.25", command=["sleep", "600"])]
        )
        await c.client.create(pod)
        await c.until(lambda: _waiting(c.pod("img")) == "ErrImagePull")
        await c.until(lambda: _waiting(c.pod("img")) == "ImagePullBackOff")
        found = c.pod("img")
        assert found is not None and found.status.phase == "Pending"
        assert (
            found.status.container_statuses[0].state.waiting.message == 'Back-off pulling image "nginx:1.25"'
        )  # type: ignore[union-attr]
        c.images.set_pull("nginx:1.25")
        await c.until(lambda: (p := c.pod("img")) is not None and p.status.phase == "Running")


async def test_kub3_never_policy_with_a_missing_image() -> None:
    async with cluster() as c:
        container = Container(name="main", image="absent:1", image_pull_policy="Never")
        await c.client.create(make_pod("n", containers=[container]))
        await c.until(lambda: _waiting(c.pod("n")) == "ErrImageNeverPull")
        pod = c.pod("n")
        assert pod is not None
        assert pod.status.container_statuses[0].state.waiting.message == (  # type: ignore[union-attr]
            'Container image "absent:1" is not present with pull policy of Never'
        )


async def test_kub4_missing_config_map_is_create_container_config_error_until_it_exists() -> None:
    ref = EnvVarSource(config_map_key_ref=ConfigMapKeySelector(name="settings", key="mode"))
    container = Container(
        name="main", image=IMAGE, command=["sleep", "600"], env=[EnvVar(name="MODE", value_from=ref)]
    )
    async with cluster() as c:
        await c.client.create(make_pod("cfg", containers=[container]))
        await c.until(lambda: _waiting(c.pod("cfg")) == "CreateContainerConfigError")
        pod = c.pod("cfg")
        assert pod is not None
        assert pod.status.container_statuses[0].state.waiting.message == 'configmap "settings" not found'  # type: ignore[union-attr]
        await c.client.create(
            ConfigMap(metadata=ObjectMeta(name="settings", namespace="default"), data={"mode": "fast"})
        )
        await c.until(lambda: (p := c.pod("cfg")) is not None and p.status.phase == "Running")
        container_id = c.pod("cfg").status.container_statuses[0].container_id.removeprefix("fake://")  # type: ignore[union-attr]
        config = c.runtime.status_now(container_id)
        assert config.state.name == "RUNNING"


async def test_kub14_host_network_pod_ip_is_the_node_ip_and_ips_are_unique() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("host", "sleep", "600", host_network=True))
        await c.client.create(make_pod("a", "sleep", "600"))
        await c.client.create(make_pod("b", "sleep", "600"))
        await c.until(
            lambda: all(
                (p := c.pod(n)) is not None and p.status.phase == "Running" for n in ("host", "a", "b")
            )
        )
        ips = [c.pod(n).status.pod_ip for n in ("host", "a", "b")]  # type: ignore[union-attr]
        assert ips[0] == "172.18.0.2"  # node-1's InternalIP
        assert len(set(ips)) == 3


async def test_logs_are_readable_with_tail_and_previous() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("log", "sh", "-c", "echo one; echo two; sleep 5; exit 1"))
        await c.until(
            lambda: (
                (p := c.pod("log")) is not None
                and p.status.container_statuses
                and p.status.container_statuses[0].restart_count >= 1
            )
        )  # type: ignore[arg-type]
        kubelet = c.kubelets["node-1"]
        assert [line async for line in kubelet.logs("default", "log")] == ["one", "two"]
        assert [line async for line in kubelet.logs("default", "log", tail_lines=1)] == ["two"]
        assert [line async for line in kubelet.logs("default", "log", "main", previous=True)] == [
            "one",
            "two",
        ]
        with pytest.raises(BadRequest):
            [line async for line in kubelet.logs("default", "log", "nope")]


async def test_a_restarted_kubelet_adopts_running_containers_instead_of_starting_new_ones() -> None:
    async with cluster() as c:
        await c.client.create(make_pod("keep", "sleep", "3600"))
        await c.until(lambda: (p := c.pod("keep")) is not None and p.status.phase == "Running")
        before = c.pod("keep").status.container_statuses[0].container_id  # type: ignore[union-attr]
        c.stop_node("node-1")
        await c.run_for(1)
        runtime = c.runtimes["node-1"]
        kubelet = c.kubelets["node-1"]
        again = Kubelet(
            c.client, runtime, c.images, kubelet.config, c.dispatcher, clock=c.clock, network=c.probes
        )
        await c.group.start(again.run)
        await c.run_for(30)
        pod = c.pod("keep")
        assert pod is not None and pod.status.phase == "Running"
        assert pod.status.container_statuses[0].container_id == before
        assert len(await runtime.list_pod_sandbox()) == 1
        assert len(await runtime.list_containers()) == 1


async def test_kub4_missing_config_map_volume_is_create_container_config_error() -> None:
    mount = VolumeMount(name="config", mount_path="/etc/config")
    container = Container(name="main", image=IMAGE, command=["sleep", "600"], volume_mounts=[mount])
    pod = make_pod("vol", containers=[container])
    pod.spec.volumes = [Volume(name="config", config_map=ConfigMapVolumeSource(name="absent"))]
    async with cluster() as c:
        await c.client.create(pod)
        await c.until(lambda: _waiting(c.pod("vol")) == "CreateContainerConfigError")
        found = c.pod("vol")
        assert found is not None
        assert found.status.container_statuses[0].state.waiting.message == 'configmap "absent" not found'  # type: ignore[union-attr]
        await c.client.create(
            ConfigMap(metadata=ObjectMeta(name="absent", namespace="default"), data={"k": "v"})
        )
        await c.until(lambda: (p := c.pod("vol")) is not None and p.status.phase == "Running")
