"""`python -m kubelite demo --runtime docker`: the demo pod really runs in a Docker container on the
node `docker-node` (skipped without a daemon; CI requires one), and `--runtime auto` falls back to
fake nodes when no daemon answers."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from kubelite.cli.main import main
from tests.docker_support import TEST_IMAGE, DockerDaemon

pytestmark = pytest.mark.slow


def test_demo_runs_its_pod_in_a_real_container(
    docker_daemon: DockerDaemon, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["demo", "--data-dir", str(tmp_path), "--runtime", "docker", "--docker-url", docker_daemon.url]
    assert main([*argv, "--image", TEST_IMAGE]) == 0
    out = capsys.readouterr().out
    assert "and a Docker node (docker-node)" in out
    assert re.search(r"pod/hello-\w+ Running on docker-node, podIP 127\.0\.0\.1", out)
    assert "--- logs: ['hello from kubelite']" in out
    assert re.search(r"pod/hello-\w+ is gone", out)


def test_auto_runtime_without_a_daemon_runs_fake_nodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = "unix://" + urllib.parse.quote(str(tmp_path / "no-docker.sock"))
    assert main(["demo", "--data-dir", str(tmp_path), "--runtime", "auto", "--docker-url", missing]) == 0
    out = capsys.readouterr().out
    assert "no Docker daemon answers: running fake nodes only" in out
    assert re.search(r"pod/hello-\w+ Running on node-[12]", out)
