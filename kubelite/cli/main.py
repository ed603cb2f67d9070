"""Command-line entry point. Parses arguments and hands typed settings to a subcommand.

Subcommands (with none given, `demo` runs):
- `demo [--data-dir DIR] [--nodes N] [--runtime fake|docker|auto] [--docker-url URL] [--image I]`:
  runs a durable SQLite-backed API server with the scheduler, the node lifecycle controller and N
  fake nodes (plus, with Docker, a node running real containers) in this process and exercises it (create with
  defaults, scale, strategic patch, a rejected write, a pod scheduled, run, logged and gracefully
  deleted by its kubelet, watch), printing what happens. Running it again reuses the data
  directory: objects persist and the revision continues.
Bad flags exit with status 2 and a usage message (argparse).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import anyio

from kubelite.cli.demo import DemoSettings, run_demo


def _node_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid node count {text!r}: not an integer") from None
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"invalid node count {value}: must be between 0 and 1000")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kubelite", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="exercise an in-process API server backed by SQLite")
    demo.add_argument("--data-dir", type=Path, default=Path("data"), help="where the SQLite file lives")
    demo.add_argument(
        "--nodes",
        type=_node_count,
        default=None,
        help="fake nodes to run (default 2, or 0 with --runtime docker)",
    )
    demo.add_argument(
        "--runtime",
        choices=("fake", "docker", "auto"),
        default="fake",
        help="fake nodes only; docker: also a node running real containers; auto: docker if a daemon answers",
    )
    demo.add_argument(
        "--docker-url", default=None, help="the Docker daemon (default: DOCKER_HOST or the local socket)"
    )
    demo.add_argument(
        "--image", default="busybox:1.36", help="the demo pod's image (and the Docker sandbox image)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(arguments or ["demo"])
    if args.command == "demo":
        nodes = args.nodes if args.nodes is not None else (0 if args.runtime == "docker" else 2)
        settings = DemoSettings(
            data_dir=args.data_dir,
            nodes=nodes,
            runtime=args.runtime,
            docker_url=args.docker_url,
            image=args.image,
        )
        anyio.run(run_demo, settings)
    return 0
