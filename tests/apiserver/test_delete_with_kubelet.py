"""Issue 9 item 1 end to end: a Job's pod (finalizer `batch.kubernetes.io/job-tracking`) on a fake
node. DELETE starts graceful termination; the kubelet stops the containers, reports, and DELETEs
with grace 0 and a UID precondition (KUB-12), which the finalizer survives with
`deletionGracePeriodSeconds: 0`; removing the finalizer (as the Job controller does) then removes
the pod. Before the fix the pod kept its 30 s grace and stayed forever.
"""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.client.errors import NotFound
from tests.kubelet.harness import cluster, make_pod

pytestmark = pytest.mark.anyio
JOB_TRACKING = "batch.kubernetes.io/job-tracking"


def _running(pod: Pod | None) -> bool:
    return pod is not None and pod.status.phase == "Running"


async def test_job_tracking_pod_is_gone_once_the_kubelet_is_done_and_the_finalizer_removed() -> None:
    async with cluster() as c:
        sent = make_pod("worker", "sleep", "3600")
        sent.metadata.finalizers = [JOB_TRACKING]
        await c.client.create(sent)
        await c.until(lambda: _running(c.pod("worker")))
        await c.client.delete(Pod, "worker", "default")
        await c.until(
            lambda: (p := c.pod("worker")) is not None and p.metadata.deletion_grace_period_seconds == 0
        )
        done = c.pod("worker")
        assert done is not None and done.metadata.finalizers == [JOB_TRACKING]
        assert done.status.phase in ("Succeeded", "Failed"), "the kubelet reported the end first"
        await c.client.patch(Pod, "worker", {"metadata": {"finalizers": None}}, "default")
        await c.until(lambda: c.pod("worker") is None)
        with pytest.raises(NotFound):
            await c.client.get(Pod, "worker", "default")
