"""GET/POST `pods/{name}/exec`: a command in a container over a WebSocket (`v5.channel.k8s.io`).

Before the upgrade, every failure is a Status reply: the pod must exist (404), at least one
`command` is needed, the `PodStreams` must accept the container and options (a 400 otherwise), and
then the request must be a WebSocket upgrade offering `v5.channel.k8s.io` or `v4.channel.k8s.io`
(anything else is a 400). kubectl retries a refused WebSocket exec over SPDY/3.1 and prints that
second refusal, so it carries the real reason; the command itself starts only after the upgrade.
After the 101 (which echoes the chosen protocol) every frame is binary and starts with its
channel byte: 1 stdout, 2 stderr, 3 the final Status JSON (`Success`, or `Failure` with reason
`NonZeroExitCode` and the exit code as an `ExitCode`
cause, or the error that ended the command). The server then closes with code 1000. Client frames on
channel 0 are stdin; in v5 a frame `0xff 0x00` (channel 255) closes stdin. Without stdin the client's
frames are still read while the command runs, so its pings are answered. A client that leaves
cancels the handler and with it the command (the Docker daemon may let the process finish). With
`tty` the command's stderr goes to the stdout channel, as a terminal merges them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import anyio
import msgspec
from aiohttp import WSMsgType, web
from multidict import MultiMapping

from kubelite.api.errors import APIError, BadRequest
from kubelite.apiserver.http.metrics import label_request
from kubelite.apiserver.http.query import flag
from kubelite.apiserver.http.routes.paths import Target
from kubelite.apiserver.http.state import AppState
from kubelite.apiserver.http.streams import ExecExit, ExecItem

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDIN, STDOUT, STDERR, STATUS, CLOSE = 0, 1, 2, 3, 255


@dataclass(frozen=True, slots=True)
class ExecQuery:
    command: tuple[str, ...]
    container: str
    stdin: bool
    tty: bool


def exec_query(query: MultiMapping[str]) -> ExecQuery:
    command = tuple(query.getall("command", []))
    if not command:
        raise BadRequest("you must specify at least 1 command")
    return ExecQuery(command, query.get("container", ""), flag(query, "stdin"), flag(query, "tty"))


def _require_websocket(request: web.Request) -> None:
    upgrade = request.headers.get("Upgrade", "")
    if upgrade.lower() != "websocket":
        raise BadRequest(
            f"upgrade to {upgrade or 'nothing'!r} is not supported: use a WebSocket ({PROTOCOLS[0]})"
        )
    offered = {p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")}
    if not offered & set(PROTOCOLS):
        raise BadRequest(f"no supported stream protocol offered; supported: {', '.join(PROTOCOLS)}")


def exit_status(code: int, command: tuple[str, ...]) -> dict[str, Any]:
    """The channel-3 Status for an exit code, as the kubelet's stream server writes it."""
    if code == 0:
        return {"metadata": {}, "status": "Success"}
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: command {list(command)} exited with {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def error_status(error: APIError) -> dict[str, Any]:
    return {"metadata": {}, "status": "Failure", "message": error.message, "reason": error.status.reason}


async def exec_(state: AppState, request: web.Request, target: Target) -> web.StreamResponse:
    label_request(request, request.method, target.info.plural, "exec")
    namespace = target.namespace or ""
    await state.server.get(target.info, target.name, namespace)
    query = exec_query(request.query)
    if state.pod_streams is None:
        raise BadRequest(f'pod "{target.name}" has no node to run commands on')
    ws = web.WebSocketResponse(protocols=PROTOCOLS, autoping=True)
    stdin = _stdin(ws, v5=True) if query.stdin else None
    items = await state.pod_streams.exec(
        namespace, target.name, query.container, query.command, stdin=stdin, tty=query.tty
    )
    _require_websocket(request)  # after the checks: kubectl prints its SPDY retry's refusal
    await ws.prepare(request)
    async with anyio.create_task_group() as group:
        if stdin is None:
            group.start_soon(_drain, ws)
        status = await _relay(ws, items, query)
        group.cancel_scope.cancel()
    await ws.send_bytes(bytes([STATUS]) + msgspec.json.encode(status))
    await ws.close(code=1000)
    return ws


async def _drain(ws: web.WebSocketResponse) -> None:
    """Read (and drop) client frames while the command runs, so pings get their pongs.

    kubectl pings every few seconds and gives up on a silent server after about a minute."""
    async for _ in ws:
        pass


async def _relay(
    ws: web.WebSocketResponse, items: AsyncIterator[ExecItem], query: ExecQuery
) -> dict[str, Any]:
    """Send output frames until the command exits; the Status to report last."""
    try:
        async for item in items:
            if isinstance(item, ExecExit):
                return exit_status(item.code, query.command)
            channel = STDOUT if query.tty else item.stream
            await ws.send_bytes(bytes([channel]) + item.data)
    except APIError as error:
        return error_status(error)
    return error_status(APIError("the command's output ended without an exit code"))


async def _stdin(ws: web.WebSocketResponse, *, v5: bool) -> AsyncIterator[bytes]:
    """Channel-0 payloads from the client until it closes stdin (v5 `0xff 0x00`) or the socket."""
    async for message in ws:
        if message.type != WSMsgType.BINARY or not message.data:
            continue
        channel, payload = message.data[0], message.data[1:]
        if channel == STDIN and payload:
            yield payload
        elif v5 and channel == CLOSE and payload[:1] == bytes([STDIN]):
            return
