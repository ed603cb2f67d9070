"""Command-line entry point. Parses arguments and hands typed settings to a subcommand.

Subcommands (with none given, `demo` runs):
- `demo [--data-dir DIR]`: runs a durable SQLite-backed API server in this process and exercises it
  (create with defaults, scale, strategic patch, a rejected write, binding, graceful delete, watch),
  printing what happens. Running it again reuses the data directory: objects persist and the revision
  continues.
Bad flags exit with status 2 and a usage message (argparse).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import anyio

from kubelite.cli.demo import DemoSettings, run_demo


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kubelite", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="exercise an in-process API server backed by SQLite")
    demo.add_argument("--data-dir", type=Path, default=Path("data"), help="where the SQLite file lives")
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(arguments or ["demo"])
    if args.command == "demo":
        anyio.run(run_demo, DemoSettings(data_dir=args.data_dir))
    return 0
