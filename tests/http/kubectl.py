"""Running the real kubectl against a served API: a temp kubeconfig (plain http://, no auth) and a
temp discovery cache, so every test starts from a clean client."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest

KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"


def require_kubectl() -> None:
    if not Path(KUBECTL).exists():
        pytest.fail("kubectl is required for these tests (issue 12: CI fails if kubectl is missing)")


def write_kubeconfig(directory: Path, url: str) -> Path:
    path = directory / "kubeconfig.yaml"
    path.write_text(
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- name: kubelite\n  cluster:\n    server: {url}\n"
        "users:\n- name: admin\n  user: {}\n"
        "contexts:\n- name: kubelite\n  context:\n    cluster: kubelite\n    user: admin\n    namespace: default\n"
        "current-context: kubelite\n"
    )
    return path


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


@dataclass
class Kubectl:
    kubeconfig: Path
    cache: Path

    @property
    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.cache.parent),
            "KUBECONFIG": str(self.kubeconfig),
            "KUBECACHEDIR": str(self.cache),
        }

    async def run(self, *args: str, stdin: str | None = None) -> Result:
        with anyio.fail_after(30):
            done = await anyio.run_process(
                [KUBECTL, *args],
                input=stdin.encode() if stdin is not None else None,
                env=self.env,
                check=False,
            )
        return Result(done.returncode, done.stdout.decode(), done.stderr.decode())
