"""One HTTP GET over a real socket: the client behind HTTP probes and HTTP lifecycle hooks.

Contract: `HTTPGetRequest.of(action, port, pod_ip, agent)` resolves an `httpGet` action as the
kubelet does: scheme lower-cased (default `http`), host defaulting to the pod IP, path given a
leading `/`, the action's `httpHeaders` sent (a `Host` or `User-Agent` among them overrides the
default; `Accept: */*` unless given). `fetch(request, within)` connects, sends the request
(HTTP/1.1, `Connection: close`), reads the status line and returns its code; it never reads the
body. HTTPS does not verify the server's certificate, as the kubelet's probes and hooks don't.
When no status line arrives within `within` seconds (refused, reset, unresolvable, TLS failure,
timeout, not HTTP), it raises `HTTPGetError`, whose text reads like Go's `Get "<url>": <cause>`;
an HTTPS request that a plain-HTTP server answers raises its subclass `PlainHTTPResponse`
("http: server gave HTTP response to HTTPS client").
Cancelling a fetch closes its connection; nothing is left behind.
"""

from __future__ import annotations

import errno as errnos
import os
import socket
import ssl
from dataclasses import dataclass

import anyio
import anyio.abc

from kubelite.api.core import HTTPGetAction

PROBE_AGENT = "kube-probe/1.32"
LIFECYCLE_AGENT = "kube-lifecycle/1.32"
_MAX_STATUS_LINE = 4096


class HTTPGetError(Exception):
    """No HTTP answer; the message says why, in the shape of Go's `*url.Error`."""


class PlainHTTPResponse(HTTPGetError):
    """An HTTPS request that a plain-HTTP server answered (the TLS handshake met an HTTP reply)."""


_NOT_TLS = {"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"}
"""OpenSSL's reasons when the first bytes from the server are not a TLS record."""


@dataclass(frozen=True, slots=True)
class HTTPGetRequest:
    scheme: str
    host: str
    port: int
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, action: HTTPGetAction, port: int, pod_ip: str, agent: str) -> HTTPGetRequest:
        given = [(h.name, h.value) for h in action.http_headers]
        names = {name.lower() for name, _ in given}
        defaults = [("User-Agent", agent), ("Accept", "*/*")]
        extra = [(name, value) for name, value in defaults if name.lower() not in names]
        path = action.path if action.path.startswith("/") else f"/{action.path}"
        host = action.host or pod_ip
        return cls((action.scheme or "http").lower(), host, port, path, tuple(given + extra))

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}{self.path}"

    def encode(self) -> bytes:
        headers = dict(self.headers)
        lines = [f"GET {self.path} HTTP/1.1"]
        if not any(name.lower() == "host" for name in headers):
            lines.append(f"Host: {self.host}:{self.port}")
        lines += [f"{name}: {value}" for name, value in self.headers]
        lines += ["Connection: close", "", ""]
        return "\r\n".join(lines).encode("latin-1")


def _tls() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _tls_failure(error: BaseException) -> ssl.SSLError | None:
    found: BaseException | None = error
    while found is not None and not isinstance(found, ssl.SSLError):
        found = found.__cause__
    return found


def _reason(error: BaseException) -> str:
    """The TLS or OS-level reason inside `error` ("connection refused"), else its own text."""
    tls = _tls_failure(error)
    if tls is not None:
        return f"tls: {(tls.reason or str(tls)).lower().replace('_', ' ')}"
    found: BaseException | None = error
    while found is not None and not (isinstance(found, OSError) and found.errno):
        found = found.__cause__
    if isinstance(found, OSError) and found.errno is not None and found.errno in errnos.errorcode:
        return os.strerror(found.errno).lower()
    return str(error) or type(error).__name__


def _connect_failure(request: HTTPGetRequest, error: BaseException) -> HTTPGetError:
    tls = _tls_failure(error)
    if tls is not None and tls.reason in _NOT_TLS:
        return PlainHTTPResponse("http: server gave HTTP response to HTTPS client")
    if tls is not None:
        return HTTPGetError(_reason(tls))
    return HTTPGetError(f"dial tcp {request.host}:{request.port}: connect: {_reason(error)}")


async def _connect(request: HTTPGetRequest) -> anyio.abc.ByteStream:
    try:
        if request.scheme == "https":
            return await anyio.connect_tcp(
                request.host, request.port, ssl_context=_tls(), tls_standard_compatible=False
            )
        return await anyio.connect_tcp(request.host, request.port)
    except socket.gaierror as error:
        raise HTTPGetError(f"dial tcp: lookup {request.host}: no such host") from error
    except (OSError, anyio.BrokenResourceError) as error:
        raise _connect_failure(request, error) from error


async def _status_line(stream: anyio.abc.ByteStream) -> bytes:
    head = b""
    try:
        while b"\r\n" not in head and len(head) < _MAX_STATUS_LINE:
            head += await stream.receive()
    except anyio.EndOfStream as error:
        raise HTTPGetError("EOF") from error
    except (OSError, anyio.BrokenResourceError) as error:
        raise HTTPGetError(f"read: {_reason(error)}") from error
    return head.split(b"\r\n", 1)[0]


async def _status(request: HTTPGetRequest) -> int:
    stream = await _connect(request)
    try:
        try:
            await stream.send(request.encode())
        except (OSError, anyio.BrokenResourceError) as error:
            raise HTTPGetError(f"write: {_reason(error)}") from error
        line = await _status_line(stream)
    finally:
        await anyio.aclose_forcefully(stream)
    parts = line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise HTTPGetError(f"malformed HTTP response {line[:64]!r}")
    return int(parts[1])


async def fetch(request: HTTPGetRequest, within: float) -> int:
    """The status code of the answer to `request` (see the module docstring)."""
    try:
        with anyio.fail_after(within):
            return await _status(request)
    except TimeoutError as error:
        cause = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
        raise HTTPGetError(f'Get "{request.url}": {cause}') from error
    except HTTPGetError as error:
        raise type(error)(f'Get "{request.url}": {error}') from error
