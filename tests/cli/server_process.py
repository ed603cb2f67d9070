"""Test support: the real `python -m kubelite server` as a child process, and kubectl against it.

`ServerProcess.start(data_dir, *flags)` runs the server on 127.0.0.1 with a free port (unless the
flags give `--listen`) and the fake runtime, stderr to a file; `wait_serving()` reads stdout until
the `export KUBECONFIG=` line and `wait_ready()` polls `/readyz`, both with bounded deadlines.
`kubectl(*args)` runs the real kubectl with the server's kubeconfig and a private cache dir.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEADLINE = 30.0
POLL = 0.05


@dataclass
class ServerProcess:
    process: subprocess.Popen[str]
    data_dir: Path
    log: Path
    kubeconfig: Path = Path()
    url: str = ""
    stdout: list[str] = field(default_factory=list)

    @classmethod
    def start(
        cls, data_dir: Path, *flags: str, env: dict[str, str] | None = None, argv: list[str] | None = None
    ) -> ServerProcess:
        log = data_dir.parent / f"{data_dir.name}-server.log"
        defaults = ["--data-dir", str(data_dir), "--runtime", "fake"]
        if "--listen" not in flags:
            defaults += ["--listen", "127.0.0.1:0"]
        args = argv if argv is not None else ["server", *defaults, *flags]
        with log.open("a") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "kubelite", *args],
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                env={**os.environ, **(env or {})},
            )
        return cls(process, data_dir, log)

    def __post_init__(self) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put("")

    def _readline(self, deadline: float) -> str:
        try:
            line = self._lines.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise TimeoutError(
                f"server printed nothing in time; log:\n{self.log.read_text()[-3000:]}"
            ) from None
        if not line:
            raise RuntimeError(f"server exited {self.process.wait()}; log:\n{self.log.read_text()[-3000:]}")
        self.stdout.append(line)
        return line

    def wait_serving(self) -> ServerProcess:
        deadline = time.monotonic() + DEADLINE
        while True:
            line = self._readline(deadline)
            if line.startswith("admin kubeconfig: "):
                self.kubeconfig = Path(line.removeprefix("admin kubeconfig: ").strip())
            if line.startswith("kubelite is serving the Kubernetes API at "):
                self.url = line.rsplit(" ", 1)[1].strip()
            if line.startswith("export KUBECONFIG="):
                return self

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.url.startswith("https"):
            return None
        return ssl.create_default_context(cafile=str(self.data_dir / "ca.crt"))

    def get(self, path: str, token: str | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url + path)
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, context=self.ssl_context(), timeout=10) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def wait_ready(self) -> ServerProcess:
        deadline = time.monotonic() + DEADLINE
        while self.get("/readyz") != (200, b"ok"):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise TimeoutError(f"not ready in time; log:\n{self.log.read_text()[-3000:]}")
            time.sleep(POLL)  # polling a real process: no virtual clock reaches into it
        return self

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.wait_exit()

    def wait_exit(self) -> int:
        code = self.process.wait(timeout=DEADLINE)
        self._pump_thread.join(timeout=DEADLINE)
        if self.process.stdout is not None:
            self.process.stdout.close()
        return code

    def kubectl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cache = self.data_dir.parent / "kubectl-cache"
        command = ["kubectl", f"--kubeconfig={self.kubeconfig}", f"--cache-dir={cache}", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=DEADLINE, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"{command} failed {result.returncode}: {result.stderr}")
        return result

    def kubeconfig_document(self) -> dict[str, Any]:
        document: dict[str, Any] = yaml.safe_load(self.kubeconfig.read_text())
        return document

    def token(self) -> str:
        return str(self.kubeconfig_document()["users"][0]["user"]["token"])


def status_body(raw: bytes) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(raw)
    return body
