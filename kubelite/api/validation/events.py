"""Validation of core/v1 Events.

A DNS-1123 subdomain name. Old-style events (no `eventTime`) must agree with their involved
object's namespace (an event about a cluster-scoped object lives in `default` or nowhere). New-style
events (`eventTime` set) need `reportingComponent`, `reportingInstance` (≤ 128), `action` (≤ 128)
and `reason` (≤ 128), and a message of at most 1024 characters. Messages and paths follow
Kubernetes (including its `reportingInstance` wording). Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.event import Event
from kubelite.api.errors import FieldError, invalid, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import messages
from kubelite.api.validation.objectmeta import validate_object_meta

SHORT_LIMIT = 128
NOTE_LIMIT = 1024
_MISMATCH = "does not match event.namespace"


def validate_event(event: Event) -> list[FieldError]:
    errors = validate_object_meta(event.metadata, namespaced=True, name_fn=names.subdomain_name)
    namespace, involved = event.metadata.namespace, event.involved_object.namespace
    if event.event_time is None:
        if (involved and namespace != involved) or (not involved and namespace not in ("", "default")):
            errors.append(invalid(involved, "involvedObject.namespace", _MISMATCH))
        return errors
    if not involved and namespace not in ("default", "kube-system"):
        errors.append(invalid(involved, "involvedObject.namespace", _MISMATCH))
    return errors + _new_style(event)


def _new_style(event: Event) -> list[FieldError]:
    errors: list[FieldError] = []
    component = event.reporting_component
    if not component:
        errors.append(required("reportingComponent"))
    errors += messages(component, "reportingComponent", names.is_qualified_name(component))
    for field, value, limit in (
        ("reportingInstance", event.reporting_instance, SHORT_LIMIT),
        ("action", event.action, SHORT_LIMIT),
        ("reason", event.reason, SHORT_LIMIT),
    ):
        if not value:
            errors.append(required(field))
        if len(value) > limit:
            errors.append(invalid("", field, f"can have at most {limit} characters"))
    if len(event.message) > NOTE_LIMIT:
        errors.append(invalid("", "message", f"can have at most {NOTE_LIMIT} characters"))
    return errors
