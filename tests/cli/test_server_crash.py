"""Crash recovery (issue 12): SIGKILL the server in the middle of a rolling update of 50 replicas,
restart it on the same data dir: the rollout completes, every acknowledged object is there, and no
more than replicas + maxSurge pods ever exist (watched over HTTP across both lives). As in
Kubernetes, a terminating pod (deletionTimestamp set, its containers stopping) no longer counts:
the ReplicaSet controller replaces it at once, and upstream's maxSurge bounds active pods."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.cli.server_process import DEADLINE, POLL, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]  # several real processes on a shared machine

REPLICAS, MAX_SURGE = 50, 13  # 25 % of 50, rounded up as Kubernetes does for maxSurge

DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  replicas: {REPLICAS}
  minReadySeconds: 2
  selector:
    matchLabels:
      app: big
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: main
        image: busybox:1.36
        command: ["sleep", "3600"]
"""


def _terminating(pod: dict[str, Any]) -> bool:
    return pod["metadata"].get("deletionTimestamp") is not None


class PodCounter:
    """Follows the pods of one server life over HTTP (list, then watch from its resourceVersion)
    and records the most that existed at once, not counting terminating pods (those with a
    deletionTimestamp), as Kubernetes' maxSurge does not count them either."""

    def __init__(self, server: ServerProcess) -> None:
        self.server, self.most, self.alive = server, 0, set[str]()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PodCounter:
        path = "/api/v1/namespaces/default/pods"
        listed = json.loads(self.server.get(path, token=self.server.token())[1])
        self.alive = {pod["metadata"]["name"] for pod in listed["items"] if not _terminating(pod)}
        self.most = len(self.alive)
        self._watch = self._open(f"{path}?watch=1&resourceVersion={listed['metadata']['resourceVersion']}")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._thread.join(timeout=DEADLINE)

    def _open(self, path: str):  # type: ignore[no-untyped-def]
        request = urllib.request.Request(self.server.url + path)
        request.add_header("Authorization", f"Bearer {self.server.token()}")
        return urllib.request.urlopen(request, context=self.server.ssl_context(), timeout=DEADLINE)

    def _run(self) -> None:
        try:
            for line in self._watch:
                event = json.loads(line)
                name = event["object"]["metadata"]["name"]
                if event["type"] == "DELETED" or _terminating(event["object"]):
                    self.alive.discard(name)
                else:
                    self.alive.add(name)
                self.most = max(self.most, len(self.alive))
        except OSError:
            pass  # the server went away (killed or stopped): this life's count is complete
        finally:
            self._watch.close()


def _jsonpath(server: ServerProcess, path: str, name: str = "deployment/big") -> str:
    return server.kubectl("get", name, "-o", f"jsonpath={path}").stdout


def _wait_mid_rollout(server: ServerProcess) -> None:
    deadline = time.monotonic() + DEADLINE
    while not 0 < int(_jsonpath(server, "{.status.updatedReplicas}") or 0) < REPLICAS:
        assert time.monotonic() < deadline, "the rollout never got under way"
        time.sleep(POLL)  # a real process rolls out on the real clock


def test_sigkill_mid_rolling_update_then_restart_completes_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    manifest = tmp_path / "big.yaml"
    manifest.write_text(DEPLOYMENT)
    first = ServerProcess.start(data, "--nodes", "2").wait_serving().wait_ready()
    with PodCounter(first) as before:
        first.kubectl("apply", "-f", str(manifest))
        first.kubectl("rollout", "status", "deployment/big", "--timeout=60s")
        acknowledged = [f"ack-{index}" for index in range(5)]
        for name in acknowledged:
            _create_config_map(first, name)
        first.kubectl("set", "image", "deployment/big", "main=busybox:1.37")
        _wait_mid_rollout(first)
        assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    second = ServerProcess.start(data, "--nodes", "2").wait_serving().wait_ready()
    try:
        with PodCounter(second) as after:
            second.kubectl("rollout", "status", "deployment/big", "--timeout=60s")
            counts = "{.status.updatedReplicas} {.status.availableReplicas} {.status.replicas}"
            assert _jsonpath(second, counts) == f"{REPLICAS} {REPLICAS} {REPLICAS}"
            image = _jsonpath(second, "{.spec.template.spec.containers[0].image}")
            assert image == "busybox:1.37"
            names = second.kubectl("get", "configmaps", "-o", "name").stdout.split()
            assert {f"configmap/{name}" for name in acknowledged} <= set(names)
            assert second.stop() == 0
        assert before.most <= REPLICAS + MAX_SURGE and after.most <= REPLICAS + MAX_SURGE
        assert before.most > REPLICAS or after.most > REPLICAS  # the surge did happen
    finally:
        second.stop()


def _create_config_map(server: ServerProcess, name: str) -> None:
    """Acknowledged once kubectl returns (a write is answered only after it is durable)."""
    path = server.data_dir.parent / f"{name}.json"
    path.write_text(json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}))
    server.kubectl("apply", "-f", str(path))
