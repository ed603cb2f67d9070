"""Malformed protobuf bodies raise ProtobufError saying what is wrong; over HTTP they are a 400
Status and nothing is stored (issue 12 item 2)."""

from __future__ import annotations

import pytest

from kubelite.api.core import Namespace
from kubelite.apiserver.http.protobuf import ProtobufError, decode
from kubelite.apiserver.http.protobuf.schema import SCHEMA
from tests.http.conftest import HTTPAPI
from tests.http.protobuf.golden import NAMESPACE

PROTOBUF = {"Content-Type": "application/vnd.kubernetes.protobuf"}


def envelope(api_version: str, kind: str, raw: bytes, *, encoding: str = "", content_type: str = "") -> bytes:
    unknown = SCHEMA.new("runtime.Unknown")
    unknown.typeMeta.apiVersion, unknown.typeMeta.kind = api_version, kind
    unknown.raw, unknown.contentEncoding = raw, encoding
    unknown.contentType = content_type
    return b"k8s\x00" + unknown.SerializeToString()


CASES = {
    "json-body": (b'{"kind":"Namespace"}', "the body does not start with the Kubernetes protobuf prefix k8s\\x00"),
    "empty": (b"", "the body does not start with the Kubernetes protobuf prefix k8s\\x00"),
    "truncated-envelope": (bytes.fromhex(NAMESPACE)[:30], "malformed protobuf in the runtime.Unknown envelope"),
    "truncated-object": (envelope("v1", "Namespace", b"\x0a\x13\x0a\x03fo"), "malformed protobuf in the Namespace object"),
    "no-kind": (envelope("v1", "", b""), "the envelope names no kind (typeMeta.kind is empty)"),
    "gzip": (envelope("v1", "Namespace", b"", encoding="gzip"), 'unsupported content encoding "gzip" in the envelope'),
    "json-inside": (
        envelope("v1", "Namespace", b"{}", content_type="application/json"),
        'unsupported content type "application/json" in the envelope',
    ),
    "unknown-kind": (
        envelope("example.com/v1", "Widget", b""),
        'no kind "Widget" is registered for version "example.com/v1"',
    ),
    "kind-in-wrong-group": (envelope("v1", "Deployment", b""), 'no kind "Deployment" is registered for version "v1"'),
    "bad-managed-fields": (
        envelope("v1", "Namespace", b"\x0a\x08\x8a\x01\x05\x3a\x03\x0a\x01\x7b"),
        "embedded raw object is not JSON",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("body", "message"), CASES.values(), ids=list(CASES))
def test_malformed_bodies_raise_protobuf_error(body: bytes, message: str) -> None:
    with pytest.raises(ProtobufError) as caught:
        decode(body)
    assert caught.value.message.startswith(message)
    assert caught.value.unknown_kind == message.startswith("no kind")


def test_wrong_wire_type_for_a_known_field_is_an_error_or_ignored_never_a_crash() -> None:
    """name (field 1 of ObjectMeta) sent as a varint: protobuf keeps it as an unknown field."""
    body = envelope("v1", "Namespace", b"\x0a\x02\x08\x05")
    assert decode(body) == {"apiVersion": "v1", "kind": "Namespace", "metadata": {}}


@pytest.mark.anyio
async def test_http_malformed_protobuf_is_400_and_stores_nothing(api: HTTPAPI) -> None:
    status, body = await api.call(
        "POST", "/api/v1/namespaces", bytes.fromhex(NAMESPACE)[:30], headers=PROTOBUF
    )
    assert status == 400
    assert body["kind"] == "Status"
    assert body["reason"] == "BadRequest"
    assert "malformed protobuf in the runtime.Unknown envelope" in body["message"]
    assert [
        ns.metadata.name for ns in (await api.server.list(Namespace)).items if ns.metadata.name == "foo"
    ] == []


@pytest.mark.anyio
async def test_http_protobuf_create_stores_the_object(api: HTTPAPI) -> None:
    status, body = await api.call("POST", "/api/v1/namespaces", bytes.fromhex(NAMESPACE), headers=PROTOBUF)
    assert status == 201, body
    assert body["metadata"]["name"] == "foo"
    stored = await api.server.get(Namespace, "foo", "")
    assert stored.metadata.name == "foo"


@pytest.mark.anyio
async def test_http_protobuf_of_an_unknown_kind_is_415(api: HTTPAPI) -> None:
    body = envelope("example.com/v1", "Widget", b"")
    status, answer = await api.call("POST", "/api/v1/namespaces", body, headers=PROTOBUF)
    assert status == 415
    assert (answer["kind"], answer["reason"], answer["code"]) == ("Status", "UnsupportedMediaType", 415)
    assert answer["message"] == (
        'unable to decode protobuf body: no kind "Widget" is registered for version "example.com/v1"'
    )


def test_a_string_that_is_not_utf8_reads_as_go_writes_it() -> None:
    """Go keeps the bytes and its JSON encoder writes each invalid one as U+FFFD."""
    body = envelope("v1", "Namespace", b"\x0a\x05\x0a\x03a\xffb")
    assert decode(body)["metadata"] == {"name": "a\ufffdb"}


def test_a_time_out_of_range_is_an_error() -> None:
    namespace = SCHEMA.new("core.Namespace")
    namespace.metadata.creationTimestamp.seconds = 2**62
    with pytest.raises(ProtobufError, match=f"time out of range: {2**62} seconds"):
        decode(envelope("v1", "Namespace", namespace.SerializeToString()))
