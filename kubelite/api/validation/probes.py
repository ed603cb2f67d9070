"""Validation of probes and lifecycle hooks (KUB-9).

A probe or hook carries exactly one handler; counters are non-negative; a probe's own
`terminationGracePeriodSeconds` must be positive; liveness and startup probes need
`successThreshold` 1 (`must be 1`), and readiness probes may not set a grace period. Thresholds of 0
are "unset" (the defaulter fills them in), so a 0 success threshold is not reported. An empty
`httpGet.path` or `scheme` is likewise left to defaulting. Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.probe import HTTPGetAction, Lifecycle, LifecycleHandler, Probe
from kubelite.api.errors import FieldError, forbidden, invalid, not_supported, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages, nonnegative


def validate_liveness_probe(probe: Probe | None, path: str) -> list[FieldError]:
    return _with_single_success(probe, path)


def validate_startup_probe(probe: Probe | None, path: str) -> list[FieldError]:
    return _with_single_success(probe, path)


def validate_readiness_probe(probe: Probe | None, path: str) -> list[FieldError]:
    if probe is None:
        return []
    errors = _probe(probe, path)
    if probe.termination_grace_period_seconds is not None:
        value = probe.termination_grace_period_seconds
        detail = "must not be set for readinessProbes"
        errors.append(invalid(value, f"{path}.terminationGracePeriodSeconds", detail))
    return errors


def validate_lifecycle(lifecycle: Lifecycle | None, path: str) -> list[FieldError]:
    if lifecycle is None:
        return []
    errors: list[FieldError] = []
    for name, hook in (("postStart", lifecycle.post_start), ("preStop", lifecycle.pre_stop)):
        if hook is not None:
            errors += _handlers(_hook_handlers(hook), f"{path}.{name}")
    return errors


def _with_single_success(probe: Probe | None, path: str) -> list[FieldError]:
    if probe is None:
        return []
    errors = _probe(probe, path)
    if probe.success_threshold not in (0, 1):
        errors.append(invalid(probe.success_threshold, f"{path}.successThreshold", "must be 1"))
    return errors


def _probe(probe: Probe, path: str) -> list[FieldError]:
    handlers: list[tuple[str, object]] = [
        ("exec", probe.exec),
        ("httpGet", probe.http_get),
        ("tcpSocket", probe.tcp_socket),
        ("grpc", probe.grpc),
    ]
    errors = _handlers(handlers, path)
    for name, value in (
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ):
        errors += nonnegative(value, f"{path}.{name}")
    grace = probe.termination_grace_period_seconds
    if grace is not None and grace <= 0:
        errors.append(invalid(grace, f"{path}.terminationGracePeriodSeconds", "must be greater than 0"))
    return errors


def _hook_handlers(hook: LifecycleHandler) -> list[tuple[str, object]]:
    return [
        ("exec", hook.exec),
        ("httpGet", hook.http_get),
        ("tcpSocket", hook.tcp_socket),
        ("sleep", hook.sleep),
    ]


def _handlers(handlers: list[tuple[str, object]], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    count = 0
    for name, handler in handlers:
        if handler is None:
            continue
        if count:
            errors.append(forbidden(f"{path}.{name}", "may not specify more than 1 handler type"))
            continue
        count += 1
        errors += _handler(name, handler, f"{path}.{name}")
    if not count:
        errors.append(required(path, "must specify a handler type"))
    return errors


def _handler(name: str, handler: object, path: str) -> list[FieldError]:
    if isinstance(handler, HTTPGetAction):
        return _http_get(handler, path)
    if name == "exec" and not getattr(handler, "command", None):
        return [required(f"{path}.command")]
    port = getattr(handler, "port", None)
    if name in ("tcpSocket", "grpc") and isinstance(port, int | str):
        return port_num_or_name(port, f"{path}.port")
    return []


def _http_get(action: HTTPGetAction, path: str) -> list[FieldError]:
    errors = port_num_or_name(action.port, f"{path}.port")
    if action.scheme and action.scheme not in ("HTTP", "HTTPS"):
        errors.append(not_supported(action.scheme, f"{path}.scheme", ("HTTP", "HTTPS")))
    for header in action.http_headers:
        errors += messages(header.name, f"{path}.httpHeaders", names.is_http_header_name(header.name))
    return errors


def port_num_or_name(port: int | str, path: str) -> list[FieldError]:
    if isinstance(port, int):
        return messages(port, path, names.is_valid_port_num(port))
    return messages(port, path, names.is_valid_port_name(port))
