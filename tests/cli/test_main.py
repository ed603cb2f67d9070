"""`python -m kubelite`: the demo really stores and persists objects; bad flags exit 2 (the server's
own tests, with no arguments too, are in test_server.py)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from kubelite.cli.main import main, with_command


def _revisions(output: str) -> list[int]:
    return [int(value) for value in re.findall(r"store at revision (\d+)", output)]


def test_demo_persists_objects_and_continues_the_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--data-dir", str(tmp_path)]) == 0
    first = capsys.readouterr().out
    assert "kind: Deployment" in first and "revisionHistoryLimit: 10" in first
    assert "rejected (422 Invalid)" in first
    rollout = re.findall(r"deployment/web revision (\d): 3 replicas, 3 updated, 3 available", first)
    assert rollout == ["1", "2", "3"]
    first_rs = re.search(r"replicaset/(web-\w+) revision 1: 2 replicas, image busybox:1.36", first)
    assert first_rs is not None
    assert f"replicaset/{first_rs[1]} revision 3: 3 replicas, image busybox:1.36" in first
    assert re.search(r"replicaset/web-\w+ revision 2: 0 replicas, image busybox:1.37", first)
    assert f"Scaled up replica set {first_rs[1]} from 0 to 2" in first
    assert re.search(r"pod/hello-\w+ Running on node-[12], podIP 10\.244\.", first)
    assert "--- logs: ['hello from kubelite']" in first
    assert re.search(r"pod/hello-\w+ is gone", first)
    start, end = _revisions(first)
    assert start == 0 and end > start
    rows = sqlite3.connect(tmp_path / "kubelite.db").execute("SELECT name FROM objects").fetchall()
    assert ("web",) in rows

    assert main(["demo", "--data-dir", str(tmp_path)]) == 0
    second = capsys.readouterr().out
    assert "found 1 deployment(s) from an earlier run" in second
    again_start, again_end = _revisions(second)
    assert again_start == end and again_end > again_start


@pytest.mark.parametrize(
    "argv",
    [
        ["bogus"],
        ["demo", "--nope"],
        ["demo", "--nodes", "-1"],
        ["demo", "--nodes", "two"],
        ["server", "--nodes", "-1"],
        ["server", "--nodes", "two"],
        ["server", "--listen", "nowhere"],
        ["server", "--runtime", "podman"],
    ],
    ids=[
        "unknown-command",
        "unknown-flag",
        "negative-nodes",
        "non-integer-nodes",
        "server-negative-nodes",
        "server-non-integer-nodes",
        "server-bad-listen",
        "server-unknown-runtime",
    ],
)
def test_bad_arguments_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["server"]),
        (["--listen", "127.0.0.1:7443"], ["server", "--listen", "127.0.0.1:7443"]),
        (["server", "--nodes", "2"], ["server", "--nodes", "2"]),
        (["demo"], ["demo"]),
        (["--help"], ["--help"]),
        (["-h"], ["-h"]),
    ],
    ids=["nothing", "flags-only", "server", "demo", "help", "short-help"],
)
def test_flags_without_a_subcommand_run_the_server(argv: list[str], expected: list[str]) -> None:
    assert with_command(argv) == expected
