"""`/healthz`, `/livez` and `/readyz` as Kubernetes answers them: `ok` (200, text/plain) or a
failed check list (500). Liveness is the process answering; readiness also asks the `ready`
callable the server command passes (informers synced, nodes registered). `?verbose` lists checks.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web


def _reply(checks: list[tuple[str, bool]], name: str, verbose: bool) -> web.Response:
    healthy = all(ok for _, ok in checks)
    if healthy and not verbose:
        return web.Response(text="ok", content_type="text/plain")
    lines = [
        f"[{'+' if ok else '-'}]{check} {'ok' if ok else 'failed: reason withheld'}" for check, ok in checks
    ]
    lines.append(f"{name} check passed" if healthy else f"{name} check failed")
    return web.Response(
        text="\n".join(lines) + "\n", status=200 if healthy else 500, content_type="text/plain"
    )


async def liveness(request: web.Request) -> web.Response:
    name = request.path.strip("/")
    return _reply([("ping", True)], name, "verbose" in request.query)


def readiness(request: web.Request, ready: Callable[[], bool] | None) -> web.Response:
    checks = [("ping", True), ("informer-sync", ready is None or ready())]
    return _reply(checks, "readyz", "verbose" in request.query)
