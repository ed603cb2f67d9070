"""Services and eviction on the real Docker runtime (issue 11; skipped without a daemon, CI requires
one): a Deployment's pods behind a Service are listed in its Endpoints and EndpointSlice only once
their exec readiness probe passes in the real container (EP-2, EP-3, EP-4, EP-11), and an eviction
of a ReplicaSet's pod under a budget of minAvailable = replicas - 1 succeeds once, then answers 429
until the replacement container is ready (NODE-15, NODE-16).

Readiness is driven from outside: the probe is `test -f /tmp/ready` and the test creates the file
with `kubectl exec`, so which pods are ready is decided by the test, not by timing. Docker pods have
no pod network yet (the test daemon runs with `--bridge=none`): every pod's IP is 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kubelite.api.core import Endpoints, Pod
from kubelite.api.discovery import EndpointSlice
from kubelite.api.policy import PodDisruptionBudget
from tests.cli.docker_cluster import DockerCluster, docker_cluster
from tests.docker_support import TEST_IMAGE, DockerDaemon

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(150)]

POD_IP = "127.0.0.1"
"""What the Docker runtime reports for a pod in network mode "none" (`kubelite.cri.docker.views`)."""
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


def _template(app: str) -> str:
    return f"""\
    metadata:
      labels: {{app: {app}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: {TEST_IMAGE}
        command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
        ports: [{{name: http, containerPort: 8080}}]
        readinessProbe:
          exec: {{command: ["test", "-f", "/tmp/ready"]}}
          periodSeconds: 1
"""


def _web() -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: web}}}}
  template:
{_template("web")}---
apiVersion: v1
kind: Service
metadata: {{name: web}}
spec:
  selector: {{app: web}}
  ports: [{{name: http, port: 80, targetPort: http}}]
"""


def _guarded() -> str:
    return f"""\
apiVersion: apps/v1
kind: ReplicaSet
metadata: {{name: guarded}}
spec:
  replicas: 3
  selector: {{matchLabels: {{app: guarded}}}}
  template:
{_template("guarded")}---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: guarded}}
spec:
  minAvailable: 2
  selector: {{matchLabels: {{app: guarded}}}}
"""


def _ready(pod: Pod) -> bool:
    return any(c.type == "Ready" and c.status == "True" for c in pod.status.conditions)


def _running(cluster: DockerCluster, app: str, count: int) -> bool:
    pods = [p for p in cluster.pods(app=app) if p.metadata.deletion_timestamp is None]
    return len(pods) == count and all(p.status.phase == "Running" for p in pods)


async def _make_ready(cluster: DockerCluster, pod: Pod) -> None:
    await cluster.run("exec", pod.metadata.name, "--", "touch", "/tmp/ready")


def _endpoints(cluster: DockerCluster) -> tuple[list[str], list[str]]:
    """(ready, not ready) pod names in the Endpoints `web`, checking each address's fields (EP-4)."""
    found = cluster.lister(Endpoints).get("web", "default")
    if found is None or not found.subsets:
        return [], []
    [subset] = found.subsets
    assert [(p.name, p.port, p.protocol) for p in subset.ports] == [("http", 8080, "TCP")]
    for address in [*subset.addresses, *subset.not_ready_addresses]:
        assert (address.ip, address.node_name) == (POD_IP, "docker-node")
        assert address.target_ref is not None and address.target_ref.kind == "Pod"
    ready = [a.target_ref.name for a in subset.addresses if a.target_ref]
    not_ready = [a.target_ref.name for a in subset.not_ready_addresses if a.target_ref]
    return sorted(ready), sorted(not_ready)


def _slice(cluster: DockerCluster) -> dict[str, tuple[list[str], bool | None]]:
    """Per pod name, the (addresses, ready) of its endpoint in the service's one EndpointSlice."""
    slices = [
        s
        for s in cluster.lister(EndpointSlice).list()
        if s.metadata.labels.get("kubernetes.io/service-name") == "web"
    ]
    if not slices:
        return {}
    [found] = slices
    assert found.address_type == "IPv4"
    assert [(p.name, p.port) for p in found.ports or []] == [("http", 8080)]
    return {e.target_ref.name: (e.addresses, e.conditions.ready) for e in found.endpoints if e.target_ref}


async def test_ep2_ep3_ep11_endpoints_list_docker_pods_once_their_probe_passes(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    """EP-2/EP-3/EP-4/EP-11 on Docker: running pods whose readiness probe fails are in
    notReadyAddresses (slice: ready false); once `test -f /tmp/ready` passes in one container, that
    pod alone moves to addresses (slice: ready true), then the other; every address is the pod IP
    the Docker runtime reports (127.0.0.1), on node docker-node, port http resolved to 8080."""
    async with docker_cluster(tmp_path, docker_daemon) as cluster:
        await cluster.run("apply", "-f", "-", stdin=_web())
        await cluster.until(lambda: _running(cluster, "web", 2))
        first, second = (p.metadata.name for p in cluster.pods(app="web"))
        both = sorted([first, second])
        await cluster.until(lambda: _endpoints(cluster) == ([], both))
        assert all(p.status.pod_ip == POD_IP for p in cluster.pods(app="web"))
        await cluster.until(lambda: _slice(cluster) == {n: ([POD_IP], False) for n in both})

        await _make_ready(cluster, cluster.pods(app="web")[0])
        await cluster.until(lambda: _endpoints(cluster) == ([first], [second]))
        await cluster.until(lambda: _slice(cluster) == {first: ([POD_IP], True), second: ([POD_IP], False)})

        await _make_ready(cluster, cluster.pods(app="web")[1])
        await cluster.until(lambda: _endpoints(cluster) == (both, []))
        await cluster.until(lambda: _slice(cluster) == {n: ([POD_IP], True) for n in both})


def _budget(cluster: DockerCluster) -> tuple[int, int, int, int]:
    """(disruptionsAllowed, currentHealthy, desiredHealthy, expectedPods) of the budget, once observed."""
    found = cluster.lister(PodDisruptionBudget).get("guarded", "default")
    if found is None or found.status.observed_generation < found.metadata.generation:
        return (-1, -1, -1, -1)
    s = found.status
    return (s.disruptions_allowed, s.current_healthy, s.desired_healthy, s.expected_pods)


async def _evict(cluster: DockerCluster, pod: Pod) -> tuple[int, dict[str, Any]]:
    name = pod.metadata.name
    body = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name, "namespace": "default"}}
    return await cluster.post(f"/api/v1/namespaces/default/pods/{name}/eviction", body)


def _too_many() -> dict[str, Any]:
    cause = "The disruption budget guarded needs 2 healthy pods and has 2 currently"
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": VIOLATION,
        "reason": "TooManyRequests",
        "details": {"causes": [{"reason": "DisruptionBudget", "message": cause}]},
        "code": 429,
    }


async def test_node15_node16_eviction_on_docker_waits_for_the_replacement_to_be_ready(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    """NODE-15/NODE-16 on Docker: 3 ready pods of a ReplicaSet under minAvailable 2 allow 1
    disruption; evicting one answers 201, the pod gets DisruptionTarget EvictionByEvictionAPI and is
    deleted, its container stopped. The ReplicaSet's replacement runs but is not ready, so the next
    eviction answers 429 with the budget's cause, as long as it stays unready; once its probe passes
    the budget allows 1 again and the eviction answers 201."""
    async with docker_cluster(tmp_path, docker_daemon) as cluster:
        await cluster.run("apply", "-f", "-", stdin=_guarded())
        await cluster.until(lambda: _running(cluster, "guarded", 3))
        for pod in cluster.pods(app="guarded"):
            await _make_ready(cluster, pod)
        await cluster.until(lambda: _budget(cluster) == (1, 3, 2, 3))
        victim, *rest = cluster.pods(app="guarded")

        code, status = await _evict(cluster, victim)
        assert (code, status["status"], status["code"]) == (201, "Success", 201)
        await cluster.until(lambda: cluster.lister(Pod).get(victim.metadata.name, "default") is None)
        disrupted = ("True", "EvictionByEvictionAPI", "Eviction API: evicting")
        assert cluster.disruptions[victim.metadata.name] == disrupted
        assert await cluster.stopped(victim)  # removed later by the kubelet's cleanup
        await cluster.until(lambda: _running(cluster, "guarded", 3))
        kept = {r.metadata.name for r in rest}
        [replacement] = [p for p in cluster.pods(app="guarded") if p.metadata.name not in kept]
        await cluster.until(lambda: _budget(cluster) == (0, 2, 2, 3))

        assert await _evict(cluster, rest[0]) == (429, _too_many())
        assert not _ready(replacement)

        await _make_ready(cluster, replacement)
        await cluster.until(lambda: _budget(cluster) == (1, 3, 2, 3))
        code, status = await _evict(cluster, rest[0])
        assert (code, status["status"], status["code"]) == (201, "Success", 201)
