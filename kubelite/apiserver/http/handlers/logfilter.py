"""`sinceSeconds`/`sinceTime` and `limitBytes` of `pods/log`, applied to the kubelet's byte stream.

`since` (seconds since the epoch) keeps only lines whose leading RFC 3339 time is at or after it;
the caller asks `PodStreams` for timestamps and `filtered` strips them again unless the request
wanted them (`timestamps`). A line whose time cannot be read is kept, as a log line is never lost
to a parse. `limit` ends the stream after that many bytes (cutting a line if need be), as the
kubelet does for `limitBytes`; the source iterator is closed then, so a `follow` stops too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from kubelite.clock import parse_rfc3339


async def filtered(
    chunks: AsyncIterator[bytes], *, since: float | None, timestamps: bool, limit: int | None
) -> AsyncIterator[bytes]:
    lines = _since(chunks, since, timestamps) if since is not None else chunks
    left = limit
    try:
        async for chunk in lines:
            if left is not None:
                chunk, left = chunk[:left], left - len(chunk[:left])
            if chunk:
                yield chunk
            if left == 0:
                return
    finally:
        await _close(chunks)


async def _since(chunks: AsyncIterator[bytes], since: float, timestamps: bool) -> AsyncIterator[bytes]:
    pending = b""
    async for chunk in chunks:
        *complete, pending = (pending + chunk).split(b"\n")
        kept = b"".join(_keep(line + b"\n", since, timestamps) for line in complete)
        if kept:
            yield kept
    if pending:
        yield _keep(pending, since, timestamps)


def _keep(line: bytes, since: float, timestamps: bool) -> bytes:
    stamp, sep, rest = line.partition(b" ")
    try:
        when = parse_rfc3339(stamp.decode())
    except ValueError:
        return line
    if when < since:
        return b""
    return line if timestamps or not sep else rest


async def _close(chunks: AsyncIterator[bytes]) -> None:
    close = getattr(chunks, "aclose", None)
    if close is not None:
        await close()
