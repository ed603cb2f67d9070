"""An eviction is a create on `pods/eviction`, so upstream's NamespaceLifecycle admission applies
before the Eviction API (NODE-14 (4), NODE-15): in a terminating namespace it is a 403 with the
`NamespaceTerminating` cause kubectl drain tells it by, and the pod is left as it was."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.core import ConfigMap, Namespace, Pod
from kubelite.api.errors import Forbidden, NotFound
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from tests.apiserver.conftest import pod

pytestmark = pytest.mark.anyio

EVICTION = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "web"}}


async def test_node14_eviction_in_a_terminating_namespace_is_403_namespace_terminating(
    server: APIServer,
) -> None:
    await server.create(Namespace, Namespace(metadata=ObjectMeta(name="team")))
    running = pod(namespace="team")
    running.status.phase = "Running"
    await server.create(Pod, running, "team")
    before = await server.get(Pod, "web", "team")
    await server.create(ConfigMap, ConfigMap(metadata=ObjectMeta(name="keep", namespace="team")), "team")
    await server.delete(Namespace, "team")  # content remains: Terminating (no namespace controller here)
    with pytest.raises(Forbidden) as refused:
        await server.evict("web", {**EVICTION, "metadata": {"name": "web", "namespace": "team"}}, "team")
    assert refused.value.status.message == (
        'pods "web" is forbidden: unable to create new content in namespace team because it is being terminated'
    )
    assert msgspec.to_builtins(refused.value.status.details) == {
        "name": "web",
        "kind": "pods",
        "causes": [
            {
                "reason": "NamespaceTerminating",
                "message": "namespace team is being terminated",
                "field": "metadata.namespace",
            }
        ],
    }
    assert await server.get(Pod, "web", "team") == before  # neither marked nor deleted


async def test_node14_eviction_in_a_missing_namespace_is_the_namespaces_404(server: APIServer) -> None:
    with pytest.raises(NotFound) as missing:
        await server.evict("web", EVICTION, "nowhere")
    assert missing.value.status.message == 'namespaces "nowhere" not found'
