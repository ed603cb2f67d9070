"""Lifecycle hooks (postStart, preStop): exec, httpGet and sleep handlers, run as the kubelet's
handler runner runs them.

Contract: `run_hook(ctx, pod, container, container_id, pod_ip, handler, within)` runs one handler
and returns "" when it succeeded, else the failure message in upstream's wording; a failing
handler never raises (cancellation does). Every handler gets at most `within` seconds; running
out is a failure.
- exec runs in the container (`exec_sync`); a non-zero exit or a runtime error fails it:
  `Exec lifecycle hook ([cmd args]) for Container "c" in Pod "name_namespace(uid)" failed - error:
  command 'cmd args' exited with N: <stderr>, message: "<stdout><stderr>"`.
- httpGet sends one GET through the node's `NetworkProber` (`request`), built as
  `kubelite.kubelet.httpget.HTTPGetRequest.of` builds it for `pod_ip`, with User-Agent
  `kube-lifecycle/1.32`. Any HTTP answer is a success, whatever its status code: upstream's hook
  runner reads no status code, only a failed request fails: `HTTP lifecycle hook (/path) for
  Container "c" in Pod "p" failed - error: Get "<url>": <cause>`. A named port that the container
  does not declare fails the same way. As upstream, an HTTPS hook that a plain-HTTP server answers
  is retried over HTTP, and a success there is a `LifecycleHTTPFallback` warning event.
- sleep waits `seconds` on the node's clock.
- Any other handler (the deprecated tcpSocket) fails: `Cannot run handler: invalid handler`.
The pod worker reacts: a failed postStart is a `FailedPostStartHook` event and the container is
killed (its restart policy applies); a failed preStop is a `FailedPreStopHook` event and
termination goes on.
"""

from __future__ import annotations

import dataclasses
import json

from kubelite.api.core import Container, ExecAction, HTTPGetAction, LifecycleHandler, Pod
from kubelite.cri import CRIError
from kubelite.kubelet.context import NodeContext
from kubelite.kubelet.httpget import LIFECYCLE_AGENT, HTTPGetError, HTTPGetRequest, PlainHTTPResponse
from kubelite.kubelet.prober import resolve_port


def pod_ref(pod: Pod) -> str:
    """The kubelet's `format.Pod`: name_namespace(uid)."""
    meta = pod.metadata
    return f"{meta.name}_{meta.namespace}({meta.uid})"


async def _exec(ctx: NodeContext, container_id: str, action: ExecAction, within: float) -> str:
    """ "" or the failure (error, message) text of an exec handler."""
    command = list(action.command)
    try:
        result = await ctx.runtime.exec_sync(container_id, command, within)
    except CRIError as error:
        return f'{error}, message: ""'
    if result.exit_code == 0:
        return ""
    stderr = result.stderr.decode(errors="replace")
    output = json.dumps((result.stdout + result.stderr).decode(errors="replace"))
    return f"command '{' '.join(command)}' exited with {result.exit_code}: {stderr}, message: {output}"


async def _http(
    ctx: NodeContext, pod: Pod, container: Container, pod_ip: str, action: HTTPGetAction, within: float
) -> str:
    """ "" or the error text of an httpGet handler."""
    try:
        port = resolve_port(action.port, container)
    except ValueError as error:
        return str(error)
    request = HTTPGetRequest.of(action, port, pod_ip, LIFECYCLE_AGENT)
    try:
        await ctx.network.request(request, within)
    except PlainHTTPResponse as error:
        return await _http_fallback(ctx, pod, request, within, str(error))
    except HTTPGetError as error:
        return str(error)
    return ""


async def _http_fallback(
    ctx: NodeContext, pod: Pod, https: HTTPGetRequest, within: float, failure: str
) -> str:
    """Upstream's fallback: an HTTPS hook answered in plain HTTP is retried over HTTP (without an
    Authorization header); success is a `LifecycleHTTPFallback` warning, failure the HTTPS error."""
    headers = tuple((name, value) for name, value in https.headers if name.lower() != "authorization")
    try:
        await ctx.network.request(dataclasses.replace(https, scheme="http", headers=headers), within)
    except HTTPGetError:
        return failure
    where = f"{https.host}:{https.port}"
    message = f"request to HTTPS lifecycle hook {where} got HTTP response, retry with HTTP succeeded"
    ctx.record(pod, "Warning", "LifecycleHTTPFallback", message)
    return ""


async def run_hook(
    ctx: NodeContext,
    pod: Pod,
    container: Container,
    container_id: str,
    pod_ip: str,
    handler: LifecycleHandler,
    within: float,
) -> str:
    """Run `handler`; "" on success, else the failure message (see the module docstring)."""
    where = f'for Container "{container.name}" in Pod "{pod_ref(pod)}" failed - error:'
    if handler.exec is not None:
        failure = await _exec(ctx, container_id, handler.exec, within)
        return failure and f"Exec lifecycle hook ([{' '.join(handler.exec.command)}]) {where} {failure}"
    if handler.http_get is not None:
        failure = await _http(ctx, pod, container, pod_ip, handler.http_get, within)
        return failure and f"HTTP lifecycle hook ({handler.http_get.path}) {where} {failure}"
    if handler.sleep is not None:
        await ctx.clock.sleep(min(handler.sleep.seconds, within))
        return ""
    return "Cannot run handler: invalid handler"
