"""Command-line entry point. Parses arguments and hands typed settings to a subcommand.

Subcommands (with none given, `server` runs, with the flags given if any):
- `server [flags]`: the whole cluster behind the Kubernetes HTTP API, for kubectl (HTTPS with a
  generated CA and bearer token, an admin kubeconfig written once it serves); flags and behaviour in
  `kubelite.cli.serversettings` and `kubelite.cli.server`. Runs until SIGINT/SIGTERM, then exits 0.
- `demo [--data-dir DIR] [--nodes N] [--runtime fake|docker|auto] [--docker-url URL] [--image I]`:
  runs a durable SQLite-backed API server with the scheduler, the node lifecycle controller and N
  fake nodes (plus, with Docker, a node running real containers) in this process and exercises it (create with
  defaults, scale, strategic patch, a rejected write, a pod scheduled, run, logged and gracefully
  deleted by its kubelet, watch), printing what happens. Running it again reuses the data
  directory: objects persist and the revision continues.
Bad flags exit with status 2 and a usage message (argparse, or the settings' own error).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import anyio

from kubelite.cli.demo import DemoSettings, run_demo
from kubelite.cli.logsetup import configure_logging
from kubelite.cli.server import StartupError, run_server
from kubelite.cli.serversettings import SettingsError, add_server_arguments, server_settings


def _node_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid node count {text!r}: not an integer") from None
    if not 0 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"invalid node count {value}: must be between 0 and 1000")
    return value


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kubelite", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")
    server = commands.add_parser("server", help="serve the Kubernetes API for kubectl (the default)")
    add_server_arguments(server)
    _add_demo(commands)
    return parser


def _demo(args: argparse.Namespace) -> int:
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


def _server(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        settings = server_settings(args)
    except SettingsError as err:
        parser.error(str(err))
    configure_logging(settings.log)
    try:
        anyio.run(run_server, settings)
    except (StartupError, OSError, ExceptionGroup) as err:
        failure = _startup_failure(err)
        if failure is None:
            raise
        print(f"error: {failure}", file=sys.stderr)
        return 1
    return 0


def _startup_failure(err: BaseException) -> BaseException | None:
    """The one expected failure (no Docker daemon, the port taken, ...) behind `err`, if it is one;
    task groups wrap it in exception groups."""
    while isinstance(err, BaseExceptionGroup) and len(err.exceptions) == 1:
        err = err.exceptions[0]
    return err if isinstance(err, StartupError | OSError) else None


def with_command(arguments: list[str]) -> list[str]:
    """The arguments with `server` put first when they name no subcommand: `python -m kubelite`
    and `python -m kubelite --listen ...` run the server, as `python -m kubelite server ...` does."""
    if not arguments or (arguments[0].startswith("-") and arguments[0] not in ("-h", "--help")):
        return ["server", *arguments]
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(with_command(arguments))
    if args.command == "demo":
        return _demo(args)
    return _server(parser, args)
