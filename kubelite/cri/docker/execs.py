"""`exec_sync` through the daemon: run a command in a running container and collect its output.

Contract: `run(docker, container_id, cmd, timeout_seconds)` creates an exec instance, attaches to
its stdout and stderr (separated by the daemon's multiplexing), reads until both close, then reads
the exit code (polling the exec's inspect briefly, as the daemon records the code just after the
output closes). The whole call is bounded by `timeout_seconds` (0 or less: unbounded); on timeout it
raises `CRIError` (the daemon offers no way to kill an exec, so the command may run on). Daemon
failures are the caller's to translate (a container that is not running gives HTTP 409).
"""

from __future__ import annotations

import math

import aiodocker
import anyio

from kubelite.cri.container import ExecResult
from kubelite.cri.docker.wire import ExecInspect, decode
from kubelite.cri.errors import CRIError

STDERR = 2
EXIT_POLL = 0.01


async def run(
    docker: aiodocker.Docker, container_id: str, cmd: list[str], timeout_seconds: float
) -> ExecResult:
    limit = timeout_seconds if timeout_seconds > 0 else math.inf
    with anyio.move_on_after(limit) as scope:
        return await _run(docker, container_id, cmd)
    assert scope.cancelled_caught
    raise CRIError(f"command {cmd} timed out after {timeout_seconds} s")


async def _run(docker: aiodocker.Docker, container_id: str, cmd: list[str]) -> ExecResult:
    execution = await docker.containers.container(container_id).exec(cmd, stdout=True, stderr=True)
    out, err = bytearray(), bytearray()
    async with execution.start(detach=False) as stream:
        while (message := await stream.read_out()) is not None:
            (err if message.stream == STDERR else out).extend(message.data)
    while True:
        state = decode(await execution.inspect(), ExecInspect)
        if not state.running and state.exit_code is not None:
            return ExecResult(stdout=bytes(out), stderr=bytes(err), exit_code=state.exit_code)
        await anyio.sleep(EXIT_POLL)
