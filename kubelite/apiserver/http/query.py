"""Query parameters of Kubernetes API requests, parsed once into typed values.

Bad values are 400 BadRequest with a Status, as in Kubernetes. Parameters kubelite has no use for
(`limit`, `pretty`, `timeout`, `resourceVersionMatch`, `sendInitialEvents`) are accepted and ignored:
lists always return everything, so no `continue` token is ever handed out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from multidict import MultiMapping

from kubelite.api.errors import BadRequest
from kubelite.apiserver.context import RequestContext
from kubelite.clock import parse_rfc3339

TRUE = ("true", "1")


def flag(query: MultiMapping[str], name: str) -> bool:
    value = query.get(name, "")
    if value.lower() in ("", "false", "0"):
        return False
    if value.lower() in TRUE:
        return True
    raise BadRequest(f'invalid value for {name}: "{value}": must be true or false')


def integer(query: MultiMapping[str], name: str) -> int | None:
    value = query.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f'invalid value for {name}: "{value}": must be an integer') from None


@dataclass(frozen=True, slots=True)
class ReadQuery:
    label_selector: str | None
    field_selector: str | None
    watch: bool
    resource_version: str
    timeout_seconds: float
    """Seconds a watch stays open; infinite when the request named none."""
    allow_bookmarks: bool
    include_object: str


INCLUDE_OBJECT = ("None", "Metadata", "Object")


def read_query(query: MultiMapping[str]) -> ReadQuery:
    timeout = integer(query, "timeoutSeconds")
    include = query.get("includeObject") or "Metadata"
    if include not in INCLUDE_OBJECT:
        raise BadRequest(f'includeObject "{include}" is invalid: must be one of None, Metadata, Object')
    return ReadQuery(
        label_selector=query.get("labelSelector") or None,
        field_selector=query.get("fieldSelector") or None,
        watch=flag(query, "watch"),
        resource_version=query.get("resourceVersion", ""),
        timeout_seconds=math.inf if timeout is None or timeout <= 0 else float(timeout),
        allow_bookmarks=flag(query, "allowWatchBookmarks"),
        include_object=include,
    )


def dry_run(values: list[str]) -> bool:
    for value in values:
        if value != "All":
            raise BadRequest(f'dryRun value "{value}" is not supported: only "All" is')
    return bool(values)


def write_context(query: MultiMapping[str]) -> RequestContext:
    """The RequestContext of a write: `dryRun`, `fieldValidation` (default Warn), `fieldManager`."""
    return RequestContext(
        field_validation=query.get("fieldValidation") or "Warn",
        dry_run=dry_run(query.getall("dryRun", [])),
        field_manager=query.get("fieldManager", ""),
    )


@dataclass(frozen=True, slots=True)
class LogQuery:
    container: str
    tail_lines: int | None
    timestamps: bool
    follow: bool
    previous: bool
    limit_bytes: int | None = None
    since_seconds: int | None = None
    since_time: float | None = None


def log_query(query: MultiMapping[str]) -> LogQuery:
    tail = integer(query, "tailLines")
    if tail is not None and tail < 0:
        raise BadRequest(f"tailLines: Invalid value: {tail}: must be greater than or equal to 0")
    return LogQuery(
        container=query.get("container", ""),
        tail_lines=tail,
        timestamps=flag(query, "timestamps"),
        follow=flag(query, "follow"),
        previous=flag(query, "previous"),
        limit_bytes=_positive(query, "limitBytes"),
        since_seconds=_positive(query, "sinceSeconds"),
        since_time=_since_time(query),
    )


def _positive(query: MultiMapping[str], name: str) -> int | None:
    value = integer(query, name)
    if value is not None and value < 1:
        raise BadRequest(f"{name}: Invalid value: {value}: must be greater than 0")
    return value


def _since_time(query: MultiMapping[str]) -> float | None:
    value = query.get("sinceTime")
    if not value:
        return None
    if query.get("sinceSeconds"):
        raise BadRequest("at most one of `sinceTime` or `sinceSeconds` may be specified")
    try:
        return parse_rfc3339(value)
    except ValueError:
        raise BadRequest(f'invalid value for sinceTime: "{value}": must be an RFC 3339 time') from None


DELETE_PARAMS = {"gracePeriodSeconds": int, "propagationPolicy": str, "orphanDependents": bool}


def delete_options_from_query(query: MultiMapping[str]) -> dict[str, object]:
    """DeleteOptions fields given as query parameters (a body, when present, overrides them)."""
    options: dict[str, object] = {}
    if (grace := integer(query, "gracePeriodSeconds")) is not None:
        options["gracePeriodSeconds"] = grace
    if policy := query.get("propagationPolicy"):
        options["propagationPolicy"] = policy
    if "orphanDependents" in query:
        options["orphanDependents"] = flag(query, "orphanDependents")
    if dry := query.getall("dryRun", []):
        options["dryRun"] = dry
    return options
