"""`apply_patch`: content types, body forms and the error statuses (API-12: 400, 415, 422)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kubelite.api.apps import Deployment
from kubelite.api.autoscaling import Scale, ScaleSpec
from kubelite.api.errors import APIError, BadRequest, Invalid, UnsupportedMediaType
from kubelite.apiserver.patch import (
    APPLY_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    STRATEGIC_MERGE_PATCH,
    apply_patch,
)

DOC: dict[str, Any] = {
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "web", "image": "busybox:1"}]}}},
}

UNSUPPORTED = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, "
    "application/strategic-merge-patch+json"
)


def patch(body: Any, content_type: str, schema: type | None = Deployment) -> dict[str, Any]:
    before = copy.deepcopy((DOC, body))
    try:
        return apply_patch(DOC, body, content_type, schema)
    finally:
        assert (DOC, body) == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"spec":{"replicas":5}}', MERGE_PATCH),
        (b'{"spec":{"replicas":5}}', STRATEGIC_MERGE_PATCH),
        (b'[{"op":"replace","path":"/spec/replicas","value":5}]', JSON_PATCH),
        ('{"spec":{"replicas":5}}', MERGE_PATCH),
        (bytearray(b'{"spec":{"replicas":5}}'), MERGE_PATCH),
        ({"spec": {"replicas": 5}}, MERGE_PATCH),
        ([{"op": "replace", "path": "/spec/replicas", "value": 5}], JSON_PATCH),
        (b'{"spec":{"replicas":5}}', "application/merge-patch+json; charset=utf-8"),
        (b'{"spec":{"replicas":5}}', "Application/Strategic-Merge-Patch+JSON"),
    ],
    ids=[
        "merge",
        "strategic",
        "json-patch",
        "str-body",
        "bytearray-body",
        "dict-body",
        "list-body",
        "charset",
        "case",
    ],
)
def test_every_format_and_body_form(body: Any, content_type: str) -> None:
    result = patch(body, content_type)
    assert result["spec"]["replicas"] == 5
    assert result["spec"]["template"] == DOC["spec"]["template"]


def test_struct_body_is_converted() -> None:
    scale = {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": "web"},
        "spec": {"replicas": 3},
    }
    result = apply_patch(scale, Scale(spec=ScaleSpec(replicas=7)), MERGE_PATCH, Scale)
    assert result["spec"] == {"replicas": 7}


@pytest.mark.parametrize(
    ("body", "content_type", "error", "message"),
    [
        (b"{oops", MERGE_PATCH, BadRequest, "not valid JSON"),
        (b"", STRATEGIC_MERGE_PATCH, BadRequest, "not valid JSON"),
        (b'"just a string"', STRATEGIC_MERGE_PATCH, BadRequest, "must be a JSON object"),
        (b"[1]", MERGE_PATCH, BadRequest, "must be a JSON object"),
        (b'{"op":"add"}', JSON_PATCH, BadRequest, "must be a list of operations"),
        (b'[{"op":"frobnicate","path":"/spec"}]', JSON_PATCH, BadRequest, 'unknown op "frobnicate"'),
        (b'[{"op":"replace","path":"","value":3}]', JSON_PATCH, BadRequest, "not a JSON object"),
        ({"spec": 1j}, MERGE_PATCH, BadRequest, "not JSON-shaped"),
        (
            b'[{"op":"test","path":"/spec/replicas","value":2}]',
            JSON_PATCH,
            Invalid,
            "testing value /spec/replicas failed",
        ),
        (
            b'[{"op":"remove","path":"/spec/paused"}]',
            JSON_PATCH,
            Invalid,
            "remove operation does not apply: doc is missing path: /spec/paused",
        ),
        (b"{}", "text/plain", UnsupportedMediaType, UNSUPPORTED),
        (b"{}", "application/json", UnsupportedMediaType, UNSUPPORTED),
        (b"{}", APPLY_PATCH, UnsupportedMediaType, UNSUPPORTED),
    ],
    ids=[
        "malformed-json",
        "empty-body",
        "strategic-not-object",
        "merge-not-object",
        "json-patch-not-list",
        "unknown-op",
        "result-not-object",
        "unencodable-body",
        "test-failed",
        "missing-path",
        "text-plain",
        "plain-json",
        "apply-not-served-here",
    ],
)
def test_api12_errors(body: Any, content_type: str, error: type[APIError], message: str) -> None:
    with pytest.raises(error) as caught:
        patch(body, content_type)
    assert message in caught.value.message
    assert caught.value.status.code == error.code


def test_strategic_merge_needs_a_schema() -> None:
    with pytest.raises(UnsupportedMediaType):
        patch(b"{}", STRATEGIC_MERGE_PATCH, schema=None)
    assert patch(b'{"spec":{"replicas":1}}', MERGE_PATCH, schema=None)["spec"]["replicas"] == 1
