"""Loopback HTTP(S) servers for kubelet tests: `http_server` keeps each request's head and answers
one status line; `self_signed` makes a server-side TLS context with a throwaway certificate (the
`openssl` command line)."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio
import anyio.abc
from anyio.streams.tls import TLSListener

from kubelite.cri import ContainerState
from tests.kubelet.harness import Cluster


@dataclass
class Server:
    port: int
    requests: list[bytes] = field(default_factory=list)
    running_when_asked: list[bool] = field(default_factory=list)

    def paths(self) -> list[str]:
        return [request.split(b" ")[1].decode() for request in self.requests]


@asynccontextmanager
async def http_server(
    status_line: bytes = b"HTTP/1.1 200 OK",
    *,
    watch: Cluster | None = None,
    tls: ssl.SSLContext | None = None,
    eager: bool = False,
) -> AsyncIterator[Server]:
    """An HTTP server on 127.0.0.1 that keeps each request's head and answers `status_line`; with
    `watch`, it also notes whether the cluster's container was still running when asked. An `eager`
    server answers after the first bytes it receives, as servers answer a TLS handshake with a 400."""
    listener: anyio.abc.Listener[anyio.abc.ByteStream] = await anyio.create_tcp_listener(
        local_host="127.0.0.1", local_port=0
    )
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    if tls is not None:
        listener = TLSListener(listener, tls, standard_compatible=False)
    server = Server(port)

    async def answer(stream: anyio.abc.ByteStream) -> None:
        async with stream:
            head = await stream.receive()
            while not eager and b"\r\n\r\n" not in head:
                head += await stream.receive()
            server.requests.append(head)
            if watch is not None:
                states = [c.state for c in await watch.runtime.list_containers()]
                server.running_when_asked.append(ContainerState.RUNNING in states)
            await stream.send(status_line + b"\r\nContent-Length: 0\r\n\r\n")

    async with listener, anyio.create_task_group() as group:
        group.start_soon(listener.serve, answer)
        yield server
        group.cancel_scope.cancel()


async def self_signed(directory: Path) -> ssl.SSLContext:
    """A server TLS context with a fresh self-signed certificate (files kept in `directory`)."""
    key, cert = directory / "key.pem", directory / "cert.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
    await anyio.run_process(
        [*openssl, "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=self-signed", "-days", "1"]
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context
