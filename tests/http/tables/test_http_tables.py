"""Tables over HTTP: the Table Accept gets the kind's own columns, `includeObject` picks the row
objects, and a single GET answers a one-row Table (the wire shape kubectl reads)."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import Node, Pod

from ..conftest import HTTPAPI

pytestmark = pytest.mark.anyio

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


async def _seed(api: HTTPAPI) -> None:
    spec = {"containers": [{"name": "web", "image": "busybox"}]}
    for name in ("a", "b"):
        await api.server.create(
            Pod, msgspec.convert({"metadata": {"name": name}, "spec": spec}, Pod), "default"
        )
    await api.server.create(Node, msgspec.convert({"metadata": {"name": "node1"}}, Node))
    api.clock.advance(130)


async def test_list_as_table_with_full_objects(api: HTTPAPI) -> None:
    await _seed(api)
    path = "/api/v1/namespaces/default/pods?includeObject=Object"
    code, table = await api.call("GET", path, headers={"Accept": TABLE})
    assert code == 200
    assert table["kind"] == "Table" and table["metadata"]["resourceVersion"]
    assert [c["name"] for c in table["columnDefinitions"]][:5] == [
        "Name",
        "Ready",
        "Status",
        "Restarts",
        "Age",
    ]
    assert [row["cells"][:5] for row in table["rows"]] == [
        ["a", "0/1", "Pending", "0", "2m10s"],
        ["b", "0/1", "Pending", "0", "2m10s"],
    ]
    assert [row["object"]["kind"] for row in table["rows"]] == ["Pod", "Pod"]
    assert table["rows"][0]["object"]["spec"]["containers"][0]["image"] == "busybox"


@pytest.mark.parametrize(("include", "expected"), [("", "PartialObjectMetadata"), ("None", None)])
async def test_include_object_metadata_and_none(api: HTTPAPI, include: str, expected: str | None) -> None:
    await _seed(api)
    code, table = await api.call(
        "GET", f"/api/v1/namespaces/default/pods?includeObject={include}", headers={"Accept": TABLE}
    )
    assert code == 200
    row = table["rows"][0]
    assert (row.get("object") or {}).get("kind") == expected
    if expected:
        assert row["object"]["metadata"]["name"] == "a"


async def test_get_one_node_as_table(api: HTTPAPI) -> None:
    await _seed(api)
    code, table = await api.call("GET", "/api/v1/nodes/node1", headers={"Accept": TABLE})
    assert code == 200
    assert [row["cells"][:5] for row in table["rows"]] == [["node1", "Unknown", "<none>", "2m10s", ""]]
