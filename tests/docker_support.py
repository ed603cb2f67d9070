"""Pytest plugin: a real Docker daemon for the tests, and the Docker CRI conformance harness.

Fixtures:
- `docker_daemon` (session): a daemon the tests may use. With `KUBELITE_DOCKER_HOST` set
  (`unix:///path` or `tcp://host:port`) that daemon is used as is. Otherwise, as root with Debian's
  `docker.io` installed (see `scripts/docker-test-env`), a private `dockerd` is started on a socket
  under a short temp dir, on tmpfs when there is one (`--storage-driver=vfs --iptables=false --bridge=none`, no IP forwarding
  or masquerading, its own containerd), polled until it answers (bounded), and at session end
  stopped (SIGTERM, then SIGKILL) and its temp dir removed. Either way the image `TEST_IMAGE` is
  made present: a root filesystem of a static busybox (`/bin/busybox` and one symlink per applet
  from `busybox --list`, plus `/tmp`) imported with the Engine API's `docker import`.
- `docker_harness` (function, async): the `tests.cri.harness.Harness` for Docker: a
  `DockerRuntime` with a name unique to the test (so tests never see each other's containers),
  the `DockerImageService`, `image` = `TEST_IMAGE`, `elapse` = a real sleep (the daemon runs on
  real time: the one place tests wait on the wall clock) and `eventually` = polling. At teardown
  every container the runtime made is force-removed.
When no daemon can be had, both fixtures skip with the reason; with `KUBELITE_REQUIRE_DOCKER=1`
(as CI sets it) they fail with it instead, so the Docker backend is proven on every landing.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tarfile
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import aiodocker
import anyio
import pytest

from kubelite.cri.docker import DockerImageService, DockerRuntime
from kubelite.cri.docker import labels as docker_labels

TEST_IMAGE = "kubelite/busybox:test"
REQUIRE_ENV = "KUBELITE_REQUIRE_DOCKER"
HOST_ENV = "KUBELITE_DOCKER_HOST"
STARTUP_SECONDS = 30.0
SHUTDOWN_SECONDS = 15.0
POLL_SECONDS = 0.1
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Unavailable(Exception):
    """No daemon can be had here; the message says why."""


@dataclass
class DockerDaemon:
    url: str  # unix:///... or tcp://host:port
    work: Path  # a scratch directory for the tests' runtimes
    process: subprocess.Popen[bytes] | None = None  # None: a daemon we did not start
    temp: Path | None = None  # our temp dir, removed at the end


# -- a minimal synchronous Engine API client (the session fixture runs outside any event loop) ----


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def _request(
    url: str, method: str, path: str, body: bytes | None = None, *, within: float = 10.0
) -> tuple[int, bytes]:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        connection: http.client.HTTPConnection = _UnixConnection(parts.path, within)
    else:
        connection = http.client.HTTPConnection(parts.hostname or "localhost", parts.port, timeout=within)
    try:
        headers = {"Content-Type": "application/x-tar"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _answers(url: str) -> bool:
    try:
        return _request(url, "GET", "/_ping", within=2.0)[0] == 200
    except OSError:
        return False


# -- the test image ------------------------------------------------------------------------------


def _is_static(binary: Path) -> bool:
    """Whether an ELF executable has no program interpreter (so it runs in an empty filesystem)."""
    data = binary.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:  # 64-bit only
        return False
    endian = "<" if data[5] == 1 else ">"
    phoff = struct.unpack_from(endian + "Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from(endian + "HH", data, 0x36)
    kinds = (struct.unpack_from(endian + "I", data, phoff + i * phentsize)[0] for i in range(phnum))
    return 3 not in kinds  # PT_INTERP


def _busybox() -> Path:
    for candidate in ("/bin/busybox", "/usr/bin/busybox", shutil.which("busybox") or ""):
        if candidate and Path(candidate).is_file() and _is_static(Path(candidate)):
            return Path(candidate)
    raise Unavailable("no static busybox found (install busybox-static: scripts/docker-test-env)")


def _rootfs_tar(busybox: Path) -> bytes:
    applets = subprocess.run(
        [str(busybox), "--list"], capture_output=True, check=True, text=True
    ).stdout.split()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for directory, mode in (("bin", 0o755), ("tmp", 0o1777), ("etc", 0o755), ("root", 0o700)):
            entry = tarfile.TarInfo(directory)
            entry.type, entry.mode = tarfile.DIRTYPE, mode
            tar.addfile(entry)
        tar.add(str(busybox), arcname="bin/busybox")
        for applet in sorted(set(applets) - {"busybox"}):
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type, link.linkname = tarfile.SYMTYPE, "busybox"
            tar.addfile(link)
    return buffer.getvalue()


def ensure_test_image(url: str) -> None:
    """`TEST_IMAGE` present on the daemon at `url` (imported from a busybox root filesystem if not)."""
    if _request(url, "GET", f"/images/{TEST_IMAGE}/json")[0] == 200:
        return
    repository, tag = TEST_IMAGE.rsplit(":", 1)
    query = f"/images/create?fromSrc=-&repo={quote(repository)}&tag={quote(tag)}"
    status, body = _request(url, "POST", query, _rootfs_tar(_busybox()), within=60.0)
    if status != 200 or b'"error"' in body:
        raise Unavailable(f"docker import of {TEST_IMAGE} failed ({status}): {body[-500:]!r}")


# -- starting and stopping a private dockerd --------------------------------------------------------


def _dockerd() -> str:
    found = shutil.which("dockerd", path=f"{os.environ.get('PATH', '')}:{SYSTEM_PATH}")
    if found is None:
        raise Unavailable("dockerd is not installed (run scripts/docker-test-env as root)")
    return found


def _log_tail(temp: Path) -> str:
    try:
        return (temp / "dockerd.log").read_text(errors="replace")[-1500:]
    except OSError:
        return ""


def _start(temp: Path) -> DockerDaemon:
    url = f"unix://{temp}/docker.sock"
    command = [
        _dockerd(),
        "--storage-driver=vfs",
        "--iptables=false",
        "--ip-forward=false",
        "--ip-masq=false",
        "--bridge=none",
        "--shutdown-timeout=2",
        f"--host={url}",
        f"--data-root={temp}/data",
        f"--exec-root={temp}/exec",
        f"--pidfile={temp}/docker.pid",
    ]
    env = {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:{SYSTEM_PATH}"}
    with (temp / "dockerd.log").open("wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    daemon = DockerDaemon(url=url, work=temp / "work", process=process, temp=temp)
    deadline = time.monotonic() + STARTUP_SECONDS
    while not _answers(url):  # polling an external daemon on real time: bounded by STARTUP_SECONDS
        if process.poll() is not None or time.monotonic() > deadline:
            _stop(daemon)
            raise Unavailable(f"dockerd did not come up (exit {process.returncode}): {_log_tail(temp)}")
        time.sleep(POLL_SECONDS)
    return daemon


def _unmount_under(root: Path) -> None:
    """Lazily unmount whatever a killed daemon left mounted below `root` (deepest first)."""
    try:
        mounts = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    except OSError:
        return
    for target in sorted((m for m in mounts if m.startswith(f"{root}/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", target], capture_output=True, check=False)


def _stop(daemon: DockerDaemon) -> None:
    process = daemon.process
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if daemon.temp is not None:
        _unmount_under(daemon.temp)
        shutil.rmtree(daemon.temp, ignore_errors=True)


def _scratch_parent() -> str:
    """Where the daemon's temp dir goes: tmpfs when there is one (vfs copies every container's root
    filesystem, and on a disk a create then takes about a second instead of 50 ms) with 1 GiB free.
    Both paths are short, as unix socket paths are limited to 108 bytes."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return "/tmp"
    return str(shm) if shutil.disk_usage(shm).free >= 1 << 30 else "/tmp"  # containers' copies fit


def _acquire() -> DockerDaemon:
    external = os.environ.get(HOST_ENV)
    if external:
        if not _answers(external):
            raise Unavailable(f"{HOST_ENV}={external} does not answer")
        ensure_test_image(external)
        return DockerDaemon(url=external, work=Path(tempfile.mkdtemp(prefix="kld-")))
    if os.geteuid() != 0:
        raise Unavailable("not root, so no private dockerd can be started (or set KUBELITE_DOCKER_HOST)")
    temp = Path(tempfile.mkdtemp(prefix="kld-", dir=_scratch_parent()))
    try:
        daemon = _start(temp)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    try:
        ensure_test_image(daemon.url)
    except BaseException:
        _stop(daemon)
        raise
    return daemon


def _unavailable(reason: str) -> None:
    message = f"no Docker daemon: {reason}"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{message} ({REQUIRE_ENV}=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def docker_daemon() -> Iterator[DockerDaemon]:
    try:
        daemon = _acquire()
    except (Unavailable, OSError, subprocess.SubprocessError) as error:
        _unavailable(str(error))
        raise AssertionError("unreachable") from error
    daemon.work.mkdir(parents=True, exist_ok=True)
    try:
        yield daemon
    finally:
        if daemon.process is None:
            shutil.rmtree(daemon.work, ignore_errors=True)
        _stop(daemon)


# -- the conformance harness --------------------------------------------------------------------


class DockerHarness:
    """`tests.cri.harness.Harness` on a real daemon; `docker` is the client, for Docker-only checks."""

    def __init__(self, docker: aiodocker.Docker, work: Path, name: str) -> None:
        self.docker = docker
        self.name = name
        self.image = TEST_IMAGE
        self.runtime = DockerRuntime(docker, data_dir=work / name, sandbox_image=TEST_IMAGE, name=name)
        self.images = DockerImageService(docker)

    async def elapse(self, seconds: float) -> None:
        await anyio.sleep(max(0.0, seconds))  # the daemon's clock is the real one

    async def eventually(self, check: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
        deadline = anyio.current_time() + within
        while not await check():
            if anyio.current_time() >= deadline:
                raise AssertionError(f"condition still false after {within} s")
            await anyio.sleep(POLL_SECONDS / 2)

    async def remove_everything(self) -> None:
        """Force-remove every container this harness's runtime made (app containers first)."""
        filters = json.dumps({"label": [f"{docker_labels.RUNTIME}={self.name}"]})
        for kind in (docker_labels.CONTAINER, docker_labels.SANDBOX):
            rows = await self.docker.containers.list(all=True, filters=filters)
            async with anyio.create_task_group() as group:
                for row in rows:
                    if row["Labels"].get(docker_labels.KIND) == kind:
                        group.start_soon(self._remove, row.id)

    async def _remove(self, container_id: str) -> None:
        try:
            await self.docker.containers.container(container_id).delete(force=True, v=True)
        except aiodocker.DockerError as error:
            if error.status != 404:
                raise


@pytest.fixture
async def docker_harness(docker_daemon: DockerDaemon) -> AsyncIterator[DockerHarness]:
    async with aiodocker.Docker(url=docker_daemon.url) as client:
        harness = DockerHarness(client, docker_daemon.work, f"test-{uuid.uuid4().hex[:10]}")
        try:
            yield harness
        finally:
            await harness.remove_everything()
