"""Malformed Eviction bodies and odd delete options at the eviction subresource (NODE-15), as
upstream's `EvictionREST.Create` answers them: every refusal, and every dry run, leaves the pod and
its budget as they were (no spend, no DisruptionTarget, no deletion)."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.errors import APIError
from kubelite.api.meta import Status
from kubelite.apiserver import APIServer

from .budgets import budget, eviction, running_pod, stored_budget, stored_pod

pytestmark = pytest.mark.anyio
NAME_MISMATCH = "name in URL does not match name in Eviction object"


async def _unchanged(server: APIServer, rv_pod: str, rv_budget: str) -> None:
    pod = await stored_pod(server, "a")
    assert (pod.metadata.resource_version, pod.metadata.deletion_timestamp) == (rv_pod, None)
    assert (await stored_budget(server)).metadata.resource_version == rv_budget


@pytest.mark.parametrize(
    "body",
    [{}, {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"namespace": "default"}}],
    ids=["empty", "no-name"],
)
async def test_node15_an_eviction_without_a_name_is_400(server: APIServer, body: dict[str, Any]) -> None:
    """Upstream compares the URL's name with the body's, an absent one included."""
    pod = await running_pod(server, "a")
    pdb = await budget(server, allowed=1)
    with pytest.raises(APIError) as refused:
        await server.evict("a", body, "default")
    assert refused.value.status == Status(
        status="Failure", message=NAME_MISMATCH, reason="BadRequest", code=400
    )
    await _unchanged(server, pod.metadata.resource_version, pdb.metadata.resource_version)


@pytest.mark.parametrize("values", [["Bogus"], ["All", "Bogus"]], ids=["unknown", "one-unknown"])
async def test_node15_any_dry_run_in_delete_options_is_a_dry_run(
    server: APIServer, values: list[str]
) -> None:
    """Upstream's `IsDryRun` (any non-empty deleteOptions.dryRun): 201, and neither the budget nor
    the pod changes (it used to be a real eviction for a value other than All)."""
    pod = await running_pod(server, "a")
    pdb = await budget(server, allowed=1)
    body = eviction("a", deleteOptions={"dryRun": values})
    assert (await server.evict("a", body, "default")).code == 201
    await _unchanged(server, pod.metadata.resource_version, pdb.metadata.resource_version)
