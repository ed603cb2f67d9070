"""`selfsubjectaccessreviews` (authorization.k8s.io/v1): what `kubectl auth can-i` asks.

kubelite has no authorization: whoever gets past authentication (the admin bearer token, or
anyone on `--insecure-http`) may do everything, as `system:masters` may in Kubernetes. So a
review is answered `201 Created` with the request's spec and `status.allowed: true`, and is not
stored (as in Kubernetes). The body may be JSON, YAML or protobuf (kubectl sends protobuf); a spec
naming neither `resourceAttributes` nor `nonResourceAttributes`, or both, is 422 Invalid with
Kubernetes' message.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kubelite.api.errors import Invalid, bad_request
from kubelite.api.meta import StatusCause, StatusDetails
from kubelite.apiserver.http.bodies import decode_object
from kubelite.apiserver.http.responses import encode, json_response

PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
_API_VERSION = "authorization.k8s.io/v1"
_KIND = "SelfSubjectAccessReview"


async def self_subject_access_review(request: web.Request) -> web.StreamResponse:
    body = decode_object(await request.read(), request.headers.get("Content-Type"))
    if (body.get("apiVersion"), body.get("kind")) not in ((None, None), (_API_VERSION, _KIND)):
        raise bad_request(f"the body of the request must be a {_API_VERSION} {_KIND}")
    spec = body.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    if bool(spec.get("resourceAttributes")) == bool(spec.get("nonResourceAttributes")):
        raise _invalid(spec)
    review: dict[str, Any] = {
        "kind": _KIND,
        "apiVersion": _API_VERSION,
        "metadata": {"creationTimestamp": None},
        "spec": spec,
        "status": {"allowed": True},
    }
    return json_response(encode(review), status=201)


def _invalid(spec: dict[str, Any]) -> Invalid:
    field = "spec.nonResourceAttributes" if spec.get("nonResourceAttributes") else "spec.resourceAttributes"
    message = (
        'Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified'
    )
    cause = StatusCause(reason="FieldValueInvalid", message=message, field=field)
    details = StatusDetails(group="authorization.k8s.io", kind=_KIND, causes=[cause])
    return Invalid(f'{_KIND}.authorization.k8s.io "" is invalid: {field}: {message}', details=details)
