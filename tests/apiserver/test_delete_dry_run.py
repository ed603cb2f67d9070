"""A dry run asked for in the DELETE options themselves (API-10 options; NODE-14 `kubectl drain
--disable-eviction --dry-run=server` and `kubectl delete --dry-run=server` send it that way:
client-go puts `dryRun: [All]` in the DeleteOptions body, not in the query).

The answer is the object as the delete would leave it, and nothing is stored; an unknown `dryRun`
value is upstream's 422 for DeleteOptions, and nothing is deleted either.
"""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.api.errors import Invalid
from kubelite.api.meta import Status
from kubelite.apiserver import APIServer
from kubelite.apiserver.context import RequestContext
from kubelite.clock import FakeClock, rfc3339

from .conftest import deployment, pod

pytestmark = pytest.mark.anyio


async def _stored_pod(server: APIServer) -> Pod:
    stored = await server.get(Pod, "web", "default")
    assert isinstance(stored, Pod)
    return stored


@pytest.mark.parametrize(
    "options",
    [{"dryRun": ["All"]}, {"propagationPolicy": "Background", "dryRun": ["All"]}],
    ids=["dry-run", "kubectl-delete-body"],
)
async def test_dry_run_in_the_options_deletes_nothing(
    server: APIServer, clock: FakeClock, options: dict[str, object]
) -> None:
    created = await server.create(Pod, pod(node="node1"), "default")
    answer = await server.delete(Pod, "web", "default", options)
    assert isinstance(answer, Pod)
    assert answer.metadata.deletion_timestamp == rfc3339(clock.now() + 30)
    stored = await _stored_pod(server)
    assert stored.metadata.deletion_timestamp is None
    assert stored.metadata.resource_version == created.metadata.resource_version


async def test_dry_run_in_the_options_removes_nothing(server: APIServer) -> None:
    """A kind without a grace period: the answer is the Success Status, the object stays."""
    await server.create(type(deployment()), deployment(), "default")
    answer = await server.delete(type(deployment()), "web", "default", {"dryRun": ["All"]})
    assert isinstance(answer, Status) and answer.status == "Success"
    assert (await server.get(type(deployment()), "web", "default")).metadata.deletion_timestamp is None


async def test_dry_run_on_the_request_and_in_the_options_agree(server: APIServer) -> None:
    await server.create(Pod, pod(node="node1"), "default")
    await server.delete(Pod, "web", "default", {"dryRun": ["All"]}, RequestContext(dry_run=True))
    assert (await _stored_pod(server)).metadata.deletion_timestamp is None


@pytest.mark.parametrize("values", [["Bogus"], ["All", "Bogus"]], ids=["unknown", "one-unknown"])
async def test_an_unknown_dry_run_value_is_422_and_deletes_nothing(
    server: APIServer, values: list[str]
) -> None:
    created = await server.create(Pod, pod(node="node1"), "default")
    with pytest.raises(Invalid) as refused:
        await server.delete(Pod, "web", "default", {"dryRun": values})
    shown = "[" + ",".join(f'"{v}"' for v in values) + "]"
    assert refused.value.message == (
        f'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: {shown}: supported values: "All"'
    )
    stored = await _stored_pod(server)
    assert stored.metadata.resource_version == created.metadata.resource_version
