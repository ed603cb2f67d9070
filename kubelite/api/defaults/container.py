"""Container defaults (KUB-1, KUB-2), applied to every container of a pod or pod template.

- `imagePullPolicy`: `Always` when the image's tag is `latest`, or when it has neither a tag nor a
  digest (`nginx`); `IfNotPresent` otherwise (`nginx:1.25`, `nginx@sha256:…`). It is only filled
  in when empty, so it is fixed once the pod exists.
- `terminationMessagePath` `/dev/termination-log`, `terminationMessagePolicy` `File`.
- Ports get `protocol: TCP`; probes get timeout 1, period 10, success 1, failure 3; HTTP handlers
  (probes and lifecycle hooks) get path `/` and scheme `HTTP`; env `fieldRef`s get apiVersion `v1`.
- `securityContext` is left untouched.
Every function mutates its argument in place and is idempotent.
"""

from __future__ import annotations

from kubelite.api.core import Container, EnvVar, HTTPGetAction, Lifecycle, ObjectFieldSelector, Probe

TERMINATION_MESSAGE_PATH = "/dev/termination-log"


def image_pull_policy(image: str) -> str:
    """The pull policy Kubernetes picks for `image` when none is given (KUB-2)."""
    if not image:
        return "IfNotPresent"  # an unparseable reference has no tag; validation rejects it
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def default_container(container: Container) -> None:
    if not container.image_pull_policy:
        container.image_pull_policy = image_pull_policy(container.image)
    if not container.termination_message_path:
        container.termination_message_path = TERMINATION_MESSAGE_PATH
    if not container.termination_message_policy:
        container.termination_message_policy = "File"
    for port in container.ports:
        if not port.protocol:
            port.protocol = "TCP"
    for probe in (container.liveness_probe, container.readiness_probe, container.startup_probe):
        if probe is not None:
            default_probe(probe)
    if container.lifecycle is not None:
        _default_lifecycle(container.lifecycle)
    for env in container.env:
        _default_env(env)


def default_probe(probe: Probe) -> None:
    if probe.timeout_seconds == 0:
        probe.timeout_seconds = 1
    if probe.period_seconds == 0:
        probe.period_seconds = 10
    if probe.success_threshold == 0:
        probe.success_threshold = 1
    if probe.failure_threshold == 0:
        probe.failure_threshold = 3
    if probe.http_get is not None:
        default_http_get(probe.http_get)


def default_http_get(action: HTTPGetAction) -> None:
    if not action.path:
        action.path = "/"
    if not action.scheme:
        action.scheme = "HTTP"


def _default_lifecycle(lifecycle: Lifecycle) -> None:
    for handler in (lifecycle.post_start, lifecycle.pre_stop):
        if handler is not None and handler.http_get is not None:
            default_http_get(handler.http_get)


def _default_env(env: EnvVar) -> None:
    source = env.value_from
    if source is not None and source.field_ref is not None:
        default_field_ref(source.field_ref)


def default_field_ref(selector: ObjectFieldSelector) -> None:
    if not selector.api_version:
        selector.api_version = "v1"


def default_requests_from_limits(container: Container) -> None:
    """KUB-1, pods only: a resource with a limit and no request gets the limit as its request."""
    resources = container.resources
    for name, quantity in resources.limits.items():
        resources.requests.setdefault(name, quantity)
