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
        _expose_and_get_services(server)
    finally:
        assert server.stop() == 0


def _expose_and_get_services(server: ServerProcess) -> None:
    k = server.kubectl
    exposed = k("expose", "deployment", "web", "--name", "web-np", "--port", "80", "--type", "NodePort")
    assert exposed.stdout == "service/web-np exposed\n"
    table = [line.split() for line in k("get", "svc", "-o", "wide").stdout.splitlines()]
    assert [row[:2] for row in table] == [
        ["NAME", "TYPE"],
        ["kubernetes", "ClusterIP"],
        ["web", "ClusterIP"],
        ["web-np", "NodePort"],
    ]
    assert table[1][2:5] == ["10.96.0.1", "<none>", "443/TCP"] and table[2][4] == "80/TCP"
    assert re.fullmatch(r"80:3\d{4}/TCP", table[3][4]) and table[3][-1] == "app=web"


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


def test_the_rest_of_the_issue_list_works(tmp_path: Path) -> None:
    """Issue 12's kubectl commands the README walk leaves out: rollout history --revision, rollout
    pause/resume/restart, describe with its events, get -A --field-selector, logs -f, delete with
    --cascade=orphan and --cascade=foreground, and a pod deleted with a grace period."""
    server = ServerProcess.start(tmp_path / "data").wait_serving().wait_ready()
    try:
        k = server.kubectl
        k("create", "deployment", "web", "--image=busybox:1.36", "--", "sh", "-c", "echo serving; sleep 3600")
        k("rollout", "status", "deployment/web", "--timeout=30s")
        k("set", "image", "deployment/web", "busybox=busybox:1.37")
        k("rollout", "status", "deployment/web", "--timeout=30s")
        first = k("rollout", "history", "deployment/web", "--revision=1").stdout
        assert "deployment.apps/web with revision #1" in first and "busybox:1.36" in first
        _pause_resume_restart(server)
        described = k("describe", "deployment", "web").stdout
        assert re.search(
            r"^Events:\n(.*\n)*.*ScalingReplicaSet .*Scaled up replica set web-", described, re.M
        )
        running = k("get", "pods", "-A", "--field-selector=status.phase=Running", "-o", "name").stdout
        assert running.startswith("pod/web-"), running
        _logs_follow_and_graceful_delete(server)
        _delete_cascades(server)
    finally:
        assert server.stop() == 0


def _pause_resume_restart(server: ServerProcess) -> None:
    k = server.kubectl
    assert k("rollout", "pause", "deployment/web").stdout == "deployment.apps/web paused\n"
    assert k("get", "deployment", "web", "-o", "jsonpath={.spec.paused}").stdout == "true"
    assert k("rollout", "resume", "deployment/web").stdout == "deployment.apps/web resumed\n"
    assert k("rollout", "restart", "deployment/web").stdout == "deployment.apps/web restarted\n"
    k("rollout", "status", "deployment/web", "--timeout=30s")
    history = k("rollout", "history", "deployment/web").stdout
    assert re.search(r"^3 +<none>$", history, re.M), history


def _logs_follow_and_graceful_delete(server: ServerProcess) -> None:
    k = server.kubectl
    k("run", "once", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo a; sleep 1; echo b")
    k("wait", "--for=condition=Ready", "pod/once", "--timeout=30s")
    assert k("logs", "-f", "once").stdout == "a\nb\n"  # ends when the container does
    k("run", "slow", "--image=busybox", "--", "sleep", "3600")
    k("wait", "--for=condition=Ready", "pod/slow", "--timeout=30s")
    assert k("delete", "pod", "slow", "--grace-period=1").stdout == 'pod "slow" deleted\n'
    gone = k("get", "pod", "slow", check=False)
    assert (gone.returncode, gone.stderr) == (1, 'Error from server (NotFound): pods "slow" not found\n')


def _delete_cascades(server: ServerProcess) -> None:
    k = server.kubectl
    k("delete", "deployment", "web", "--cascade=orphan")
    assert k("get", "replicasets", "-l", "app=web", "-o", "name").stdout.count("replicaset.apps/web-") == 3
    k("create", "deployment", "fg", "--image=busybox", "--", "sleep", "3600")
    k("rollout", "status", "deployment/fg", "--timeout=30s")
    assert k("delete", "deployment", "fg", "--cascade=foreground").stdout == 'deployment.apps "fg" deleted\n'
    assert k("get", "replicasets", "-l", "app=fg", "-o", "name").stdout == ""
