"""Property: for random objects of every kind kubelite decodes, encode -> decode is the identity on
Kubernetes' JSON shape (issue 12 item 2). Objects are generated from the same field tables, in the
shape Kubernetes' JSON has: no empty lists or maps, no zero scalars where Go's omitempty drops them,
times at their JSON precision."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelite.apiserver.http.protobuf import decode, encode
from kubelite.apiserver.http.protobuf.kinds import KINDS
from kubelite.apiserver.http.protobuf.schema import SCHEMA, Field

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
INT_RANGES = {"int32": 2**31, "int64": 2**63, "uint32": 2**32, "uint64": 2**64}
DEPTH = 3


def _times(layout: str, micros: bool) -> st.SearchStrategy[str]:
    offsets = st.integers(1, 253402300799 * 10**6 if micros else 253402300799)
    unit = "microseconds" if micros else "seconds"
    return offsets.map(lambda n: (EPOCH + timedelta(**{unit: n})).strftime(layout))


SPECIAL: dict[str, st.SearchStrategy[Any]] = {
    "meta.Time": _times("%Y-%m-%dT%H:%M:%SZ", micros=False),
    "meta.MicroTime": _times("%Y-%m-%dT%H:%M:%S.%fZ", micros=True),
    "resource.Quantity": st.sampled_from(["0", "100m", "1", "1.5Gi", "64Mi", "2e3"]),
    "intstr.IntOrString": st.one_of(st.integers(-(2**31), 2**31 - 1), st.text(max_size=5)),
    "meta.FieldsV1": st.dictionaries(st.text(max_size=4), st.just({}), max_size=2),
    "runtime.RawExtension": st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
}


def scalar(field: Field) -> st.SearchStrategy[Any]:
    keep = field.keep_zero
    if field.type == "string":
        return st.text(max_size=6, min_size=0 if keep else 1)
    if field.type == "bytes":
        return st.binary(max_size=6, min_size=0 if keep else 1).map(lambda b: base64.b64encode(b).decode())
    if field.type == "bool":
        return st.booleans() if keep else st.just(True)
    bound = INT_RANGES[field.type]
    low = 0 if field.type.startswith("u") else -bound
    ints = st.integers(low, bound - 1)
    return ints if keep else ints.filter(bool)


def value(field: Field, depth: int) -> st.SearchStrategy[Any]:
    one = scalar(field) if field.scalar else message(field.type, depth)
    if field.map:
        return st.dictionaries(st.text(max_size=4), one, min_size=1, max_size=2)
    if field.repeated:
        return st.lists(one, min_size=1, max_size=2)
    return one


def message(name: str, depth: int) -> st.SearchStrategy[Any]:
    if name in SPECIAL:
        return SPECIAL[name]
    fields = SCHEMA.fields[name]
    if depth == 0:
        return st.just({})
    own = st.fixed_dictionaries(
        {}, optional={f.json: st.deferred(lambda f=f: value(f, depth - 1)) for f in fields if not f.inline}
    )
    inlined = [message(f.type, depth) for f in fields if f.inline]
    return st.tuples(own, *inlined).map(lambda parts: {k: v for part in parts for k, v in part.items()})


def objects() -> st.SearchStrategy[dict[str, Any]]:
    kinds = sorted(KINDS.items())
    return st.sampled_from(kinds).flatmap(
        lambda item: message(item[1], DEPTH).map(
            lambda body: {"apiVersion": item[0][0], "kind": item[0][1], **body}
        )
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(objects())
def test_encode_then_decode_is_the_identity(obj: dict[str, Any]) -> None:
    assert decode(encode(obj)) == obj


@settings(max_examples=30, deadline=None)
@given(message("meta.DeleteOptions", DEPTH))
def test_delete_options_round_trip_under_any_version(options: dict[str, Any]) -> None:
    obj = {"apiVersion": "v1", "kind": "DeleteOptions", **options}
    assert decode(encode(obj)) == obj
