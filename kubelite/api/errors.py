"""The one error tree of the Kubernetes API, shared by the apiserver, clients and controllers.

    APIError                      any failure the API reports; `.status` is its meta/v1 Status
    ├── BadRequest                400  malformed body, wrong types, namespace mismatch, bad patch
    ├── Unauthorized              401
    ├── Forbidden                 403  e.g. create in a terminating namespace
    ├── NotFound                  404
    ├── MethodNotAllowed          405
    ├── Conflict                  409  stale resourceVersion, failed precondition, binding clash
    ├── AlreadyExists             409  create of an existing name
    ├── Gone                      410  watch or list from a compacted resourceVersion (reason Expired)
    ├── RequestEntityTooLarge     413
    ├── UnsupportedMediaType      415
    ├── Invalid                   422  validation failed; `.causes` carries the field errors
    ├── TooManyRequests           429
    ├── InternalError             500
    └── Timeout                   504

Each error carries the exact `Status` Kubernetes would send (reason, code, message, details), so
the HTTP layer serialises `error.status` unchanged and a remote client rebuilds the same exception
with `APIError.from_status`. Messages follow Kubernetes' wording so that kubectl prints what users
expect. This module imports only `kubelite.api.meta`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from kubelite.api.meta import Status, StatusCause, StatusDetails


class APIError(Exception):
    """A failure reported by the API, with the Kubernetes `Status` that describes it."""

    code: ClassVar[int] = 500
    reason: ClassVar[str] = "InternalError"

    def __init__(self, message: str, *, details: StatusDetails | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = Status(
            status="Failure",
            message=message,
            reason=reason or self.reason,
            details=details,
            code=self.code,
        )

    @property
    def causes(self) -> list[StatusCause]:
        details = self.status.details
        return list(details.causes) if details else []

    @staticmethod
    def from_status(status: Status) -> APIError:
        """Rebuild the matching exception from a Status received over the wire."""
        cls = _BY_REASON.get(status.reason) or _BY_CODE.get(status.code, APIError)
        err = cls.__new__(cls)
        Exception.__init__(err, status.message)
        err.message = status.message
        err.status = status
        return err


class BadRequest(APIError):
    code = 400
    reason = "BadRequest"


class Unauthorized(APIError):
    code = 401
    reason = "Unauthorized"


class Forbidden(APIError):
    code = 403
    reason = "Forbidden"


class NotFound(APIError):
    code = 404
    reason = "NotFound"


class MethodNotAllowed(APIError):
    code = 405
    reason = "MethodNotAllowed"


class Conflict(APIError):
    code = 409
    reason = "Conflict"


class AlreadyExists(APIError):
    code = 409
    reason = "AlreadyExists"


class Gone(APIError):
    code = 410
    reason = "Expired"


class RequestEntityTooLarge(APIError):
    code = 413
    reason = "RequestEntityTooLarge"


class UnsupportedMediaType(APIError):
    code = 415
    reason = "UnsupportedMediaType"


class Invalid(APIError):
    code = 422
    reason = "Invalid"


class TooManyRequests(APIError):
    code = 429
    reason = "TooManyRequests"


class InternalError(APIError):
    code = 500
    reason = "InternalError"


class Timeout(APIError):
    code = 504
    reason = "Timeout"


_ALL: tuple[type[APIError], ...] = (
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    Conflict,
    AlreadyExists,
    Gone,
    RequestEntityTooLarge,
    UnsupportedMediaType,
    Invalid,
    TooManyRequests,
    InternalError,
    Timeout,
)
_BY_REASON: dict[str, type[APIError]] = {cls.reason: cls for cls in _ALL}
_BY_REASON["Gone"] = Gone
_BY_CODE: dict[int, type[APIError]] = {}
for _cls in _ALL:
    _BY_CODE.setdefault(_cls.code, _cls)


def qualified(group: str, name: str) -> str:
    """`deployments.apps` for a group, plain `pods` for the core group."""
    return f"{name}.{group}" if group else name


def not_found(group: str, resource: str, name: str) -> NotFound:
    details = StatusDetails(name=name, group=group, kind=resource)
    return NotFound(f'{qualified(group, resource)} "{name}" not found', details=details)


def already_exists(group: str, resource: str, name: str) -> AlreadyExists:
    details = StatusDetails(name=name, group=group, kind=resource)
    return AlreadyExists(f'{qualified(group, resource)} "{name}" already exists', details=details)


def conflict(group: str, resource: str, name: str, why: str) -> Conflict:
    details = StatusDetails(name=name, group=group, kind=resource)
    message = f'Operation cannot be fulfilled on {qualified(group, resource)} "{name}": {why}'
    return Conflict(message, details=details)


def bad_request(message: str) -> BadRequest:
    """A 400 with Kubernetes' message as given (malformed input, a body that contradicts the URL)."""
    return BadRequest(message)


NAMESPACE_MISMATCH = "the namespace of the provided object does not match the namespace sent on the request"


def request_entity_too_large(message: str) -> RequestEntityTooLarge:
    """The 413 Kubernetes returns for an oversized request or object: `Request entity too large: ...`."""
    return RequestEntityTooLarge(f"Request entity too large: {message}")


def subresource_not_found() -> NotFound:
    """The 404 for a subresource a kind does not serve (Kubernetes has no route for it)."""
    return NotFound("the server could not find the requested resource")


STALE_OBJECT = "the object has been modified; please apply your changes to the latest version and try again"


_ABSENT: Any = object()


@dataclass(frozen=True, slots=True)
class FieldError:
    """One validation failure at a field path, formatted as Kubernetes' `field.Error` is."""

    type: str
    field: str
    detail: str = ""
    bad_value: Any = _ABSENT
    supported: tuple[str, ...] = ()

    def body(self) -> str:
        """The message without the field path (a StatusCause's `message`)."""
        kind = _TYPE_TEXT.get(self.type, self.type)
        if self.type == "FieldValueNotSupported":
            text = f"{kind}: {format_value(self.bad_value)}"
            if self.supported:
                text += ": supported values: " + ", ".join(f'"{s}"' for s in self.supported)
            return text
        if self.bad_value is not _ABSENT and self.type not in ("FieldValueRequired", "FieldValueForbidden"):
            text = f"{kind}: {format_value(self.bad_value)}"
        else:
            text = kind
        return f"{text}: {self.detail}" if self.detail else text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


_TYPE_TEXT = {
    "FieldValueInvalid": "Invalid value",
    "FieldValueRequired": "Required value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "FieldValueTypeInvalid": "Invalid value",
    "FieldValueNotFound": "Not found",
}


def format_value(value: Any) -> str:
    """Go's `%#v`-like rendering used in field errors: strings quoted, numbers bare."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def invalid(value: Any, path: str, detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", path, detail, value)


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail)


def not_supported(value: Any, path: str, supported: Sequence[str]) -> FieldError:
    return FieldError("FieldValueNotSupported", path, "", value, tuple(supported))


def duplicate(value: Any, path: str) -> FieldError:
    return FieldError("FieldValueDuplicate", path, "", value)


def too_long(value: Any, path: str, limit: int) -> FieldError:
    return FieldError("FieldValueTooLong", path, f"may not be more than {limit} bytes", _ABSENT)


def invalid_error(group: str, kind: str, name: str, errors: Sequence[FieldError]) -> Invalid:
    """The 422 Kubernetes returns for failed validation: `Kind.group "name" is invalid: ...`."""
    causes = [StatusCause(reason=e.type, message=e.body(), field=e.field) for e in errors]
    listed = ", ".join(str(e) for e in errors)
    text = listed if len(errors) == 1 else f"[{listed}]"
    message = f'{qualified(group, kind)} "{name}" is invalid: {text}'
    return Invalid(message, details=StatusDetails(name=name, group=group, kind=kind, causes=causes))
