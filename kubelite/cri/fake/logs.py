"""Reading a fake container's output.

Contract: `select(lines, options)` applies `since_time` (lines written at or after it) and then
`tail_lines` (the last N; 0 gives none). `follow(record, options, ticker)` yields the selected lines,
then, with `options.follow`, every later line as it is written, until the container has exited
(or been removed) and its last line is out. The lines list is only ever appended to, so a reader's
position stays valid.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence

from kubelite.cri.container import ContainerState, LogLine, LogOptions
from kubelite.cri.fake.records import ContainerRecord
from kubelite.cri.fake.ticker import Ticker


def select(lines: Sequence[LogLine], options: LogOptions) -> Sequence[LogLine]:
    if options.since_time is not None:
        since = options.since_time
        lines = [line for line in lines if line.time >= since]
    if options.tail_lines is not None:
        lines = lines[len(lines) - options.tail_lines :] if options.tail_lines > 0 else []
    return lines


def _written(record: ContainerRecord) -> int:
    return len(record.logs) if record.logs is not None else 0


def _news(record: ContainerRecord, seen: int) -> Callable[[], bool]:
    """Whether there is something for a follower that has seen `seen` lines."""
    return lambda: _written(record) > seen or record.state is ContainerState.EXITED


async def follow(record: ContainerRecord, options: LogOptions, ticker: Ticker) -> AsyncIterator[LogLine]:
    """The container's lines as `options` ask, following new output if `options.follow`."""
    seen = _written(record)
    for line in select(record.logs or (), options):
        yield line
    if not options.follow:
        return
    while True:
        await ticker.until(_news(record, seen))
        done = record.state is ContainerState.EXITED
        lines = record.logs or []
        for line in lines[seen:]:
            seen += 1
            if options.since_time is None or line.time >= options.since_time:
                yield line
        if done and _written(record) == seen:
            return
