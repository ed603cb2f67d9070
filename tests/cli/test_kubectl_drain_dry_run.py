"""`kubectl drain --dry-run=server --disable-eviction` against the whole local cluster (NODE-14):
kubectl deletes instead of evicting, and client-go carries the dry run in the DELETE body
(`dryRun: [All]`), not in the query; the server must delete nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelite.api.core import Node, Pod
from tests.cli.drain_support import drain_cluster, pod

pytestmark = [pytest.mark.anyio, pytest.mark.slow, pytest.mark.timeout(120)]

PENDING = "There are pending nodes to be drained:\n node-1\n"


async def test_node14_server_dry_run_with_disable_eviction_deletes_nothing(tmp_path: Path) -> None:
    """NODE-14 with --disable-eviction --dry-run=server: nothing is deleted, so kubectl 1.32 then
    waits for the pod to go (as against any Kubernetes server) until its --timeout; the pod stays,
    unmarked and running, and the node schedulable."""
    async with drain_cluster(tmp_path) as c:
        await c.client.create(pod("solo"))
        await c.until(lambda: c.running("solo"))
        dry = await c.run(
            "drain", "node-1", "--force", "--disable-eviction", "--dry-run=server", "--timeout=2s"
        )
        assert (dry.code, dry.stdout) == (1, "node/node-1 cordoned (server dry run)\n")
        deadline = "context deadline exceeded"
        assert dry.stderr == (
            "Warning: deleting Pods that declare no controller: default/solo\n"
            f'There are pending pods in node "node-1" when an error occurred: {deadline}\npod/solo\n'
            f'error: unable to drain node "node-1" due to error: {deadline}, continuing command...\n'
            f"{PENDING}error: {deadline}\n"
        )
        node = await c.client.get(Node, "node-1")
        assert not node.spec.unschedulable and node.spec.taints == []
        solo = await c.client.get(Pod, "solo", "default")
        assert solo.metadata.deletion_timestamp is None and c.running("solo")
