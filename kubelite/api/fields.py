"""Field selectors (`?fieldSelector=spec.nodeName=node-1,status.phase!=Failed`).

`parse_field_selector(text)` reads Kubernetes' syntax: comma-separated terms `field=value`,
`field==value` (the same as `=`) and `field!=value`. In a value, a backslash escapes `\\`, `,`
and `=`; an unescaped `,` or `=` in a value, any other escape, or a term without an operator
raises `ValueError` with Kubernetes' message. The field label itself is taken literally (no
trimming). The empty string selects everything.

Each kind supports a fixed set of field labels, as in Kubernetes: `metadata.name` and
`metadata.namespace` everywhere (only `metadata.name` for the cluster-scoped Node and Namespace),
plus the kind's own (`spec.nodeName`, `status.phase`, … for Pod; `involvedObject.*`, `reason`, …
for Event; see `_KINDS`). `FieldSelector.check_supported(kind)` raises `ValueError` with the text
Kubernetes answers with: `field label not supported: <label>` for the kinds with their own field
labels, and `"<label>" is not a known field selector: only "metadata.name", "metadata.namespace"`
for the rest.

`FieldSelector.matches(obj)` reads each supported label from the typed object through a table of
small getters (no reflection): booleans are "true"/"false", integers decimal strings, absent
values "". A label the kind does not support reads as "", as an absent field does in Kubernetes.

Selectors are immutable and hashable; requirements are kept sorted by their text, so
`str(selector)` is canonical and `parse_field_selector(str(s)) == s`. Parsing is pure and cached
(LRU).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kubelite.api.apps.replicaset import ReplicaSet
from kubelite.api.batch.job import Job
from kubelite.api.core.configmap import Secret
from kubelite.api.core.event import Event
from kubelite.api.core.namespace import Namespace
from kubelite.api.core.node import Node
from kubelite.api.core.pod import Pod
from kubelite.api.core.replicationcontroller import ReplicationController
from kubelite.api.errors import format_value
from kubelite.api.meta import Object

EQUALS = "="
NOT_EQUALS = "!="

Getter = Callable[[Any], str]


@dataclass(frozen=True, slots=True, order=True)
class FieldRequirement:
    """`field` compared with `value`; `operator` is `=` (also written `==`) or `!=`."""

    field: str
    operator: str
    value: str

    def matches(self, actual: str) -> bool:
        return (actual == self.value) == (self.operator == EQUALS)

    def __str__(self) -> str:
        return f"{self.field}{self.operator}{escape_value(self.value)}"


@dataclass(frozen=True, slots=True)
class FieldSelector:
    """An AND of field requirements, kept sorted by their text."""

    requirements: tuple[FieldRequirement, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.requirements, key=str))
        if ordered != self.requirements:
            object.__setattr__(self, "requirements", ordered)

    @staticmethod
    def everything() -> FieldSelector:
        return _EVERYTHING

    @property
    def empty(self) -> bool:
        return not self.requirements

    def check_supported(self, kind: str) -> None:
        """`ValueError` with Kubernetes' message if a label is not selectable on `kind`."""
        labels, message = _KINDS.get(kind, _DEFAULT)
        for requirement in self.requirements:
            if requirement.field not in labels:
                raise ValueError(message(requirement.field))

    def matches(self, obj: Object) -> bool:
        getters = _GETTERS.get(type(obj).__name__, _META)
        for requirement in self.requirements:
            getter = getters.get(requirement.field)
            if not requirement.matches(getter(obj) if getter is not None else ""):
                return False
        return True

    def requires_exact_match(self, field: str) -> str | None:
        """The value `field` must equal, if the selector pins it (`field=value`)."""
        for requirement in self.requirements:
            if requirement.field == field and requirement.operator == EQUALS:
                return requirement.value
        return None

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


_EVERYTHING = FieldSelector()


@functools.lru_cache(maxsize=1024)
def parse_field_selector(text: str) -> FieldSelector:
    """Parse a field selector; `ValueError` with Kubernetes' message if it is malformed."""
    requirements = []
    for term in sorted(_split_terms(text)):
        if term:
            field, operator, value = _split_term(text, term)
            requirements.append(FieldRequirement(field, operator, unescape_value(value)))
    return FieldSelector(tuple(requirements))


def _split_terms(text: str) -> list[str]:
    """Split at commas that no backslash escapes; escapes stay in the terms."""
    if "\\" not in text:
        return text.split(",")
    terms, start, escaped = [], 0, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append(text[start:index])
            start = index + 1
    terms.append(text[start:])
    return terms


def _split_term(text: str, term: str) -> tuple[str, str, str]:
    """(field, operator, raw value) at the first operator in the term (`!=`, `==`, then `=`)."""
    for index, char in enumerate(term):
        if char == "!" and term.startswith("!=", index):
            return term[:index], NOT_EQUALS, term[index + 2 :]
        if char == "=":
            width = 2 if term.startswith("==", index) else 1
            return term[:index], EQUALS, term[index + width :]
    raise ValueError(f"invalid selector: '{text}'; can't understand '{term}'")


def escape_value(value: str) -> str:
    """Escape `\\`, `,` and `=` so that a literal value can stand in a field selector."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def unescape_value(value: str) -> str:
    """Undo `escape_value`; `ValueError` on a bare `,`/`=` or an unknown escape."""
    if "\\" not in value and "," not in value and "=" not in value:
        return value
    chars: list[str] = []
    escaped = False
    for char in value:
        if escaped:
            if char not in "\\,=":
                raise ValueError(f"invalid field selector: invalid escape sequence: \\{char}")
            chars.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":
            raise ValueError(f"invalid field selector: unescaped character in value: {ord(char)}")
        else:
            chars.append(char)
    if escaped:
        raise ValueError("invalid field selector: invalid escape sequence: \\")
    return "".join(chars)


# --- Supported field labels and how to read them -------------------------------------------


def _bool(value: bool | None) -> str:
    return "true" if value else "false"


_META: Mapping[str, Getter] = {
    "metadata.name": lambda obj: obj.metadata.name,
    "metadata.namespace": lambda obj: obj.metadata.namespace,
}

_POD: dict[str, Callable[[Pod], str]] = {
    "spec.nodeName": lambda pod: pod.spec.node_name,
    "spec.restartPolicy": lambda pod: pod.spec.restart_policy,
    "spec.schedulerName": lambda pod: pod.spec.scheduler_name,
    "spec.serviceAccountName": lambda pod: pod.spec.service_account_name,
    "spec.hostNetwork": lambda pod: _bool(pod.spec.host_network),
    "status.phase": lambda pod: pod.status.phase,
    "status.podIP": lambda pod: pod.status.pod_ips[0].ip if pod.status.pod_ips else pod.status.pod_ip,
    "status.nominatedNodeName": lambda pod: pod.status.nominated_node_name,
}

_EVENT: dict[str, Callable[[Event], str]] = {
    "involvedObject.kind": lambda event: event.involved_object.kind,
    "involvedObject.namespace": lambda event: event.involved_object.namespace,
    "involvedObject.name": lambda event: event.involved_object.name,
    "involvedObject.uid": lambda event: event.involved_object.uid,
    "involvedObject.apiVersion": lambda event: event.involved_object.api_version,
    "involvedObject.resourceVersion": lambda event: event.involved_object.resource_version,
    "involvedObject.fieldPath": lambda event: event.involved_object.field_path,
    "reason": lambda event: event.reason,
    "reportingComponent": lambda event: event.reporting_component,
    "source": lambda event: event.source.component or event.reporting_component,
    "type": lambda event: event.type,
}

_NODE: dict[str, Callable[[Node], str]] = {"spec.unschedulable": lambda node: _bool(node.spec.unschedulable)}
_NAMESPACE: dict[str, Callable[[Namespace], str]] = {"status.phase": lambda ns: ns.status.phase}
_SECRET: dict[str, Callable[[Secret], str]] = {"type": lambda secret: secret.type}
_REPLICA_SET: dict[str, Callable[[ReplicaSet], str]] = {"status.replicas": lambda rs: str(rs.status.replicas)}
_REPLICATION_CONTROLLER: dict[str, Callable[[ReplicationController], str]] = {
    "status.replicas": lambda rc: str(rc.status.replicas)
}
_JOB: dict[str, Callable[[Job], str]] = {"status.successful": lambda job: str(job.status.succeeded)}

_GETTERS: dict[str, Mapping[str, Getter]] = {
    kind: {**_META, **own}
    for kind, own in (
        ("Pod", _POD),
        ("Event", _EVENT),
        ("Node", _NODE),
        ("Namespace", _NAMESPACE),
        ("Secret", _SECRET),
        ("ReplicaSet", _REPLICA_SET),
        ("ReplicationController", _REPLICATION_CONTROLLER),
        ("Job", _JOB),
    )
}


def _not_supported(label: str) -> str:
    return f"field label not supported: {label}"


def _job_not_supported(label: str) -> str:
    return f"field label {format_value(label)} not supported for batchv1.Job"


def _not_known(label: str) -> str:
    return f'{format_value(label)} is not a known field selector: only "metadata.name", "metadata.namespace"'


def _labels(kind: str, cluster_scoped: bool = False) -> frozenset[str]:
    own = frozenset(_GETTERS[kind])
    return own - {"metadata.namespace"} if cluster_scoped else own


_DEFAULT: tuple[frozenset[str], Callable[[str], str]] = (frozenset(_META), _not_known)
_KINDS: dict[str, tuple[frozenset[str], Callable[[str], str]]] = {
    "Pod": (_labels("Pod"), _not_supported),
    "Event": (_labels("Event"), _not_supported),
    "Node": (_labels("Node", cluster_scoped=True), _not_supported),
    "Namespace": (_labels("Namespace", cluster_scoped=True), _not_supported),
    "Secret": (_labels("Secret"), _not_supported),
    "ReplicaSet": (_labels("ReplicaSet"), _not_supported),
    "ReplicationController": (_labels("ReplicationController"), _not_supported),
    "Job": (_labels("Job"), _job_not_supported),
}
