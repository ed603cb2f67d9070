"""Process-wide log output for the `server` command, from its `LogSettings`.

`configure_logging(settings)` sets structlog to print events at `settings.level` or above to
stderr, as coloured-free console lines or one JSON object a line, each with an ISO timestamp and
its level. It is called once, by the command, before anything logs; library code never calls it.
"""

from __future__ import annotations

import logging
import sys

import structlog

from kubelite.cli.serversettings import LogSettings


def configure_logging(settings: LogSettings) -> None:
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            *([structlog.processors.format_exc_info] if settings.format == "json" else []),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(settings.level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
