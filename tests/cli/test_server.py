"""`python -m kubelite server` as a real process, driven by the real kubectl (issue 12 items 3–4).

Each test starts the server on 127.0.0.1 with a free port, a temp data dir and the fake runtime,
and waits for it by polling `/readyz` with a deadline.
"""

from __future__ import annotations

import base64
import json
import re
import signal
import socket
import sqlite3
import stat
import time
from pathlib import Path

import pytest

from kubelite.cli.main import main
from tests.cli.server_process import DEADLINE, POLL, ServerProcess, status_body

pytestmark = pytest.mark.slow

UNAUTHORIZED = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "Unauthorized",
    "reason": "Unauthorized",
    "code": 401,
}

CONFIG_MAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  colour: blue
"""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _wait_for_file(path: Path, server: ServerProcess) -> None:
    deadline = time.monotonic() + DEADLINE
    while not path.exists():
        assert server.process.poll() is None, server.log.read_text()[-3000:]
        assert time.monotonic() < deadline, "no kubeconfig in time"
        time.sleep(POLL)  # a real process writes it: nothing to wait on but the file


def test_https_with_a_generated_ca_and_token_serves_kubectl(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = ServerProcess.start(data, "--nodes", "2")
    try:
        _wait_for_file(data / "kubeconfig.yaml", server)
        server.url = ""  # the kubeconfig is written only once the API serves: it answers at once
        server.wait_serving()
        assert server.kubeconfig == data / "kubeconfig.yaml"
        assert server.get("/livez") == (200, b"ok")
        server.wait_ready()
        _assert_security_files(server)
        _assert_tokens_are_checked(server)
        version = server.kubectl("version").stdout
        assert "Server Version: v1.32.0" in version
        nodes = server.kubectl("get", "nodes", "-o", "name").stdout.split()
        assert nodes == ["node/node-1", "node/node-2"]
        assert f"export KUBECONFIG={data / 'kubeconfig.yaml'}\n" in server.stdout
    finally:
        assert server.stop() == 0


def _assert_security_files(server: ServerProcess) -> None:
    for name in ("ca.crt", "ca.key", "server.crt", "server.key", "token", "kubeconfig.yaml"):
        assert _mode(server.data_dir / name) == 0o600, name
    assert server.url.startswith("https://127.0.0.1:")
    cluster = server.kubeconfig_document()["clusters"][0]["cluster"]
    assert cluster["server"] == server.url
    ca = (server.data_dir / "ca.crt").read_bytes()
    assert base64.b64decode(cluster["certificate-authority-data"]) == ca
    assert server.token() == (server.data_dir / "token").read_text().strip()


def _assert_tokens_are_checked(server: ServerProcess) -> None:
    for token in (None, "wrong", server.token() + "x"):
        code, body = server.get("/api/v1/namespaces", token=token)
        assert (code, status_body(body)) == (401, UNAUTHORIZED)
    code, body = server.get("/api/v1/namespaces", token=server.token())
    assert code == 200 and status_body(body)["kind"] == "NamespaceList"
    assert server.get("/readyz") == (200, b"ok")  # health is open, as in Kubernetes


def test_sigterm_shuts_down_cleanly_and_a_restart_brings_everything_back(tmp_path: Path) -> None:
    data = tmp_path / "data"
    manifest = tmp_path / "cm.yaml"
    manifest.write_text(CONFIG_MAP)
    first = ServerProcess.start(data).wait_serving().wait_ready()
    first.kubectl("apply", "-f", str(manifest))
    _assert_kubernetes_service(first)
    kubeconfig = first.kubeconfig.read_bytes()
    pki = {name: (data / name).read_bytes() for name in ("ca.crt", "ca.key", "server.crt", "token")}
    assert first.stop(signal.SIGTERM) == 0
    log = first.log.read_text()
    assert "signal_received" in log and "store_closed" in log
    database = sqlite3.connect(data / "kubelite.db")
    assert database.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert ("settings",) in database.execute("SELECT name FROM objects").fetchall()
    database.close()

    second = ServerProcess.start(data).wait_serving().wait_ready()
    try:
        colour = second.kubectl("get", "configmap", "settings", "-o", "jsonpath={.data.colour}").stdout
        assert colour == "blue"
        _assert_kubernetes_service(second)  # moved to the new port, not duplicated
        assert {name: (data / name).read_bytes() for name in pki} == pki
        assert second.kubeconfig.read_bytes() != kubeconfig  # a new port, same CA and token
        assert second.token() == pki["token"].decode().strip()
    finally:
        assert second.stop(signal.SIGINT) == 0


def _assert_kubernetes_service(server: ServerProcess) -> None:
    """The server's `kubernetes` Service (10.96.0.1, https 443) and Endpoints point at its port."""
    port = server.url.rsplit(":", 1)[1]
    services = server.kubectl("get", "svc", "-o", "name").stdout.split()
    assert services == ["service/kubernetes"]
    spec = "jsonpath={.spec.clusterIP} {.spec.ports[0].port} {.spec.ports[0].targetPort}"
    assert server.kubectl("get", "svc", "kubernetes", "-o", spec).stdout == f"10.96.0.1 443 {port}"
    subset = "jsonpath={.subsets[0].addresses[0].ip}:{.subsets[0].ports[0].port}"
    assert server.kubectl("get", "endpoints", "kubernetes", "-o", subset).stdout == f"127.0.0.1:{port}"


def test_insecure_http_on_loopback_serves_without_auth(tmp_path: Path) -> None:
    """Also: flags with no subcommand run the server (`python -m kubelite --insecure-http ...`)."""
    flags = ["--insecure-http", "--log-format", "json", "--log-level", "warning"]
    argv = ["--data-dir", str(tmp_path / "data"), "--runtime", "fake", "--listen", "127.0.0.1:0", *flags]
    server = ServerProcess.start(tmp_path / "data", argv=argv).wait_serving().wait_ready()
    try:
        events = [json.loads(line) for line in server.log.read_text().splitlines()]
        assert events and all(event["level"] in ("warning", "error", "critical") for event in events)
        assert events[0]["event"] == "insecure_http"
        assert server.url.startswith("http://127.0.0.1:")
        assert server.kubeconfig_document()["users"][0]["user"] == {}
        assert not (server.data_dir / "token").exists()
        code, body = server.get("/api/v1/namespaces")
        assert code == 200 and status_body(body)["kind"] == "NamespaceList"
        assert server.kubectl("get", "nodes", "-o", "name").stdout.split() == ["node/node-1"]
        _assert_metrics_cover_the_cluster(server)
    finally:
        assert server.stop() == 0


def _assert_metrics_cover_the_cluster(server: ServerProcess) -> None:
    """/metrics serves the cluster's registry too: requests, controllers, workqueues, dropped events."""
    code, body = server.get("/metrics")
    text = body.decode()
    assert code == 200
    assert 'apiserver_request_total{code="200",resource="nodes"' in text
    assert 'workqueue_adds_total{controller="node-lifecycle"' in text
    assert "# TYPE controller_runtime_reconcile_total counter" in text
    assert "# TYPE kubelite_events_dropped_total counter" in text


def test_insecure_http_is_refused_off_loopback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["server", "--data-dir", str(tmp_path), "--insecure-http", "--listen", "0.0.0.0:6443"]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert (
        "error: --insecure-http serves the API without TLS or authentication and is only allowed on a "
        "loopback address (127.0.0.1, ::1, localhost), not '0.0.0.0'" in capsys.readouterr().err
    )
    assert list(tmp_path.iterdir()) == []  # refused before anything is written


def test_no_arguments_runs_the_server_with_the_defaults(tmp_path: Path) -> None:
    """`python -m kubelite` alone: `server` on 127.0.0.1:6443 with its state in `~/.kubelite`."""
    server = ServerProcess.start(
        tmp_path / ".kubelite",
        env={"HOME": str(tmp_path), "DOCKER_HOST": "unix:///nonexistent.sock"},
        argv=[],
    )
    try:
        server.wait_serving().wait_ready()
        assert server.url == "https://127.0.0.1:6443"
        assert server.kubeconfig == tmp_path / ".kubelite" / "kubeconfig.yaml"
        assert (tmp_path / ".kubelite" / "kubelite.db").exists()
        assert re.search(r"runtime_selected +nodes=1 requested=auto runtime=fake", server.log.read_text())
    finally:
        assert server.stop() == 0


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = ServerProcess.start(tmp_path / "data", "--listen", f"127.0.0.1:{port}")
        assert server.wait_exit() == 1
    assert "error: [Errno 98] error while attempting to bind on address" in server.log.read_text()


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    """Two servers on one data dir would run two control planes and two sets of nodes over one
    database, and the second would overwrite the first's kubeconfig: the second stops at once."""
    data = tmp_path / "data"
    first = ServerProcess.start(data).wait_serving().wait_ready()
    try:
        kubeconfig = first.kubeconfig.read_bytes()
        second = ServerProcess.start(data)
        assert second.wait_exit() == 1
        message = (
            f"error: the data dir {data} is in use by another kubelite server (pid {first.process.pid});"
        )
        assert message in second.log.read_text()
        assert first.kubeconfig.read_bytes() == kubeconfig
        assert first.get("/readyz")[0] == 200
    finally:
        assert first.stop() == 0
    third = ServerProcess.start(data).wait_serving()  # the lock went with the first process
    assert third.stop() == 0
