"""Builders for eviction tests: running pods and PodDisruptionBudgets with a hand-set status (no
disruption controller runs, so each test states the budget it evicts against); a status no write
may store (a negative `disruptionsAllowed`) goes straight into the store."""

from __future__ import annotations

from typing import Any

from kubelite.api.core import Pod
from kubelite.api.policy import PodDisruptionBudget
from kubelite.apiserver import APIServer
from kubelite.apiserver.core import render

from .conftest import pod

MERGE = "application/merge-patch+json"
WEB = {"matchLabels": {"app": "web"}}


async def running_pod(server: APIServer, name: str, *, ready: bool = True, phase: str = "Running") -> Pod:
    await server.create(Pod, pod(name, node="node1", app="web"), "default")
    condition = {"type": "Ready", "status": "True" if ready else "False"}
    status = {"status": {"phase": phase, "conditions": [condition]}}
    patched = await server.patch(Pod, name, status, MERGE, "default", subresource="status")
    assert isinstance(patched, Pod)
    return patched


async def budget(
    server: APIServer,
    name: str = "web",
    *,
    allowed: int = 1,
    current: int = 3,
    desired: int = 2,
    observed: int = 1,
    selector: dict[str, Any] | None = WEB,
    policy: str | None = None,
) -> PodDisruptionBudget:
    spec: dict[str, Any] = {"minAvailable": desired}
    if selector is not None:
        spec["selector"] = selector
    if policy is not None:
        spec["unhealthyPodEvictionPolicy"] = policy
    body = {"metadata": {"name": name, "namespace": "default"}, "spec": spec}
    await server.create(PodDisruptionBudget, body, "default")
    status = {
        "observedGeneration": observed,
        "disruptionsAllowed": allowed,
        "currentHealthy": current,
        "desiredHealthy": desired,
        "expectedPods": current,
    }
    stored = await server.patch(
        PodDisruptionBudget, name, {"status": status}, MERGE, "default", subresource="status"
    )
    assert isinstance(stored, PodDisruptionBudget)
    return stored


def eviction(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name}, **extra}


async def stored_budget(server: APIServer, name: str = "web") -> PodDisruptionBudget:
    found = await server.get(PodDisruptionBudget, name, "default")
    assert isinstance(found, PodDisruptionBudget)
    return found


async def stored_pod(server: APIServer, name: str) -> Pod:
    found = await server.get(Pod, name, "default")
    assert isinstance(found, Pod)
    return found


async def stored_with_allowed(
    server: APIServer, pdb: PodDisruptionBudget, allowed: int
) -> PodDisruptionBudget:
    """`pdb` with `disruptionsAllowed` put straight into the store: a status write refuses a
    negative one (422), but a status stored before that rule, or by another writer, may hold it."""
    pdb.status.disruptions_allowed = allowed
    key = (server.info(PodDisruptionBudget).qualified_plural, pdb.metadata.namespace, pdb.metadata.name)
    await server.storage.update(key, render(pdb), expect_revision=int(pdb.metadata.resource_version))
    return await stored_budget(server, pdb.metadata.name)
