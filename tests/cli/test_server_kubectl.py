"""The README's "Use it with kubectl" walk, command by command, against the real server and kubectl
(issue 12 item 5): apply a Deployment and a Service, get pods -l, scale, set image, rollout
status/history/undo, cordon/drain/uncordon, logs. State is read back with jsonpath, not tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.server_process import ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.timeout(150)]  # several real processes on a shared machine

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_manifest() -> str:
    section = README.read_text().split("### Use it with kubectl", 1)[1]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def test_the_readme_walk_through_works(tmp_path: Path) -> None:
    manifest = tmp_path / "web.yaml"
    manifest.write_text(_readme_manifest())
    server = ServerProcess.start(tmp_path / "data", "--nodes", "2").wait_serving().wait_ready()
    try:
        k = server.kubectl
        applied = k("apply", "-f", str(manifest)).stdout
        assert applied == "deployment.apps/web created\nservice/web created\n"
        k("rollout", "status", "deployment/web", "--timeout=30s")
        names = k("get", "pods", "-l", "app=web", "-o", "name").stdout.split()
        assert len(names) == 3
        k("scale", "deployment", "web", "--replicas=5")
        k("set", "image", "deployment/web", "web=busybox:1.37")
        status = k("rollout", "status", "deployment/web", "--timeout=30s").stdout
        assert 'deployment "web" successfully rolled out' in status
        images = k("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.containers[0].image}")
        assert images.stdout.split() == ["busybox:1.37"] * 5
        history = k("rollout", "history", "deployment/web").stdout
        assert re.search(r"^1 +<none>$", history, re.M) and re.search(r"^2 +<none>$", history, re.M)
        k("rollout", "undo", "deployment/web", "--to-revision=1")
        k("rollout", "status", "deployment/web", "--timeout=30s")
        template = k("get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
        assert template.stdout == "busybox:1.36"
        _cordon_drain_uncordon(server)
        assert k("logs", "deployment/web").stdout == "serving\n"
    finally:
        assert server.stop() == 0


def _cordon_drain_uncordon(server: ServerProcess) -> None:
    k = server.kubectl
    assert k("cordon", "node-1").stdout == "node/node-1 cordoned\n"
    drained = k("drain", "node-1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=30s")
    assert "node/node-1 drained" in drained.stdout
    k("rollout", "status", "deployment/web", "--timeout=30s")
    nodes = k("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].spec.nodeName}").stdout.split()
    assert nodes == ["node-2"] * 5
    assert k("uncordon", "node-1").stdout == "node/node-1 uncordoned\n"
    unschedulable = k("get", "node", "node-1", "-o", "jsonpath={.spec.unschedulable}").stdout
    assert unschedulable in ("", "false")
