"""Reading a container's output through `GET /containers/{id}/logs`.

Contract: `read_logs(docker, container_id, options, tty=...)` yields the container's lines as
`LogLine`s, asking the daemon for timestamps (each line's `time` is the daemon's time for it) and
for both streams. Without a TTY the daemon multiplexes stdout and stderr in frames (8-byte header:
stream number, payload size), so every line keeps its stream; a TTY container's output is one raw
stream, reported as "stdout". A line split across frames (Docker splits lines longer than 16 KiB)
is joined again and takes the time of its first part; a last line without a newline is still
yielded. `tail_lines` and `since_time` are applied by the daemon; with `follow` the stream stays
open until the daemon ends it, which it does when the container stops. Text is UTF-8, with
undecodable bytes replaced. Daemon failures are the caller's to translate.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiodocker
import aiohttp

from kubelite.cri.container import LogLine, LogOptions
from kubelite.cri.docker.endpoints import open_stream
from kubelite.cri.docker.times import epoch

HEADER_SIZE = 8
STREAMS = {0: "stdout", 1: "stdout", 2: "stderr"}


def query(options: LogOptions) -> dict[str, Any]:
    params: dict[str, Any] = {
        "stdout": "1",
        "stderr": "1",
        "timestamps": "1",
        "follow": "1" if options.follow else "0",
        "tail": "all" if options.tail_lines is None else str(max(0, options.tail_lines)),
    }
    if options.since_time is not None:
        params["since"] = f"{options.since_time:.9f}"
    return params


class Lines:
    """Reassembles timestamped lines from chunks of one stream."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        self._pending = ""
        self._time = 0.0

    def feed(self, chunk: bytes) -> list[LogLine]:
        """`chunk` is `<RFC 3339 time> <text>`: one message of the daemon's log."""
        stamp, _, text = chunk.decode("utf-8", errors="replace").partition(" ")
        if not self._pending:
            self._time = _time(stamp)
        self._pending += text
        *complete, self._pending = self._pending.split("\n")
        found = [self._line(line) for line in complete]
        if complete and self._pending:
            self._time = _time(stamp)
        return found

    def flush(self) -> list[LogLine]:
        found = [self._line(self._pending)] if self._pending else []
        self._pending = ""
        return found

    def _line(self, text: str) -> LogLine:
        return LogLine(time=self._time, stream=self.stream, text=text.removesuffix("\r"))


def _time(stamp: str) -> float:
    try:
        return epoch(stamp)
    except ValueError:
        return 0.0


async def _frames(content: aiohttp.StreamReader) -> AsyncIterator[tuple[int, bytes]]:
    """(stream number, payload) of each multiplexed frame until the end of the response."""
    while True:
        try:
            header = await content.readexactly(HEADER_SIZE)
            size = int.from_bytes(header[4:8], "big")
            payload = await content.readexactly(size) if size else b""
        except asyncio.IncompleteReadError:
            return
        yield header[0], payload


async def _raw(content: aiohttp.StreamReader) -> AsyncIterator[tuple[int, bytes]]:
    """A TTY container's output: timestamped lines on one stream."""
    while line := await content.readline():
        yield 1, line


async def read_logs(
    docker: aiodocker.Docker, container_id: str, options: LogOptions, *, tty: bool = False
) -> AsyncIterator[LogLine]:
    splitters = {name: Lines(name) for name in ("stdout", "stderr")}
    # aiodocker's public log reader drops the stream of each line, so this reads the endpoint itself.
    async with open_stream(docker, f"containers/{container_id}/logs", query(options)) as response:
        chunks = _raw(response.content) if tty else _frames(response.content)
        async for number, payload in chunks:
            for line in splitters[STREAMS.get(number, "stdout")].feed(payload):
                yield line
    for splitter in splitters.values():
        for line in splitter.flush():
            yield line
