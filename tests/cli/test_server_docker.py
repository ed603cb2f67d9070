"""`python -m kubelite server --runtime docker`: the one node is this host and runs pods in real
containers; restarted on the same data dir, the server adopts the containers of pods that still
exist instead of starting new ones (skipped without a daemon; CI requires one)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from tests.cli.server_process import DEADLINE, POLL, ServerProcess
from tests.docker_support import TEST_IMAGE, DockerDaemon

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]  # several real processes on a shared machine

POD = f"""\
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: {TEST_IMAGE}
    imagePullPolicy: IfNotPresent
    command: ["sh", "-c", "echo hi from docker; sleep 3600"]
"""

STATE = (
    "{.status.phase} {.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}"
)


def _start(data: Path, daemon: DockerDaemon) -> ServerProcess:
    flags = ["--runtime", "docker", "--docker-host", daemon.url, "--sandbox-image", TEST_IMAGE]
    return ServerProcess.start(data, *flags).wait_serving().wait_ready()


def _running(server: ServerProcess) -> tuple[str, str]:
    deadline = time.monotonic() + DEADLINE
    while True:
        phase, *rest = server.kubectl("get", "pod", "hello", "-o", f"jsonpath={STATE}").stdout.split() or [""]
        if phase == "Running" and len(rest) == 2:
            return rest[0], rest[1]
        assert time.monotonic() < deadline, f"pod not running in time: {phase} {rest}"
        time.sleep(POLL)  # a real container starts on the real clock


def _exec_runs_in_the_container(server: ServerProcess) -> None:
    """`kubectl exec` over HTTPS reaches the real container: its output, stderr and exit code."""
    hi = server.kubectl("exec", "hello", "--", "sh", "-c", "echo hi; echo oops >&2")
    assert (hi.stdout, hi.stderr) == ("hi\n", "oops\n")
    failed = server.kubectl("exec", "hello", "--", "sh", "-c", "exit 3", check=False)
    assert failed.returncode == 3, failed.stderr


def test_docker_pods_survive_a_restart_adopted_not_duplicated(
    docker_daemon: DockerDaemon, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    manifest = tmp_path / "pod.yaml"
    manifest.write_text(POD)
    first = _start(data, docker_daemon)
    node = socket.gethostname().lower().split(".")[0]
    assert first.kubectl("get", "nodes", "-o", "name").stdout.split() == [f"node/{node}"]
    first.kubectl("apply", "-f", str(manifest))
    container_id, restarts = _running(first)
    assert container_id.startswith("docker://") and restarts == "0"
    assert first.stop() == 0

    second = _start(data, docker_daemon)
    try:
        assert _running(second) == (container_id, "0")
        assert second.kubectl("logs", "hello").stdout == "hi from docker\n"
        _exec_runs_in_the_container(second)
        second.kubectl("delete", "pod", "hello", "--timeout=30s")
    finally:
        assert second.stop() == 0
