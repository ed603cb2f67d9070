"""Pod cleanup against the runtime (upstream's HandlePodCleanups), run at start and periodically.

Contract: `clean_up(runtime, volumes, workers, in_api)` makes the node match the API for pods the
kubelet no longer has: a pod worker whose pod is not among `in_api` (the UIDs of the pods bound to
this node, from the informer cache) is told its pod is gone (it tears down as after a DELETE it
heard about); a sandbox labelled with a pod UID that neither the API nor any worker knows (left
behind while the kubelet was down, or created behind its back) has its running containers stopped
with a 1 s grace period (upstream's override for orphaned pods), then is removed with its
containers (the runtime releases its IP), and the pod's volume directories are removed, as are
the directories of any other pod nobody knows (a teardown cut short by a crash). Sandboxes
without a pod UID label are not the kubelet's and are left alone. A runtime error on one sandbox
is logged and the others are still cleaned; the next pass tries again. Returns the UIDs cleaned.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Mapping
from typing import Protocol

import anyio
import structlog

from kubelite.cri import ContainerFilter, ContainerState, CRIError, RuntimeService
from kubelite.kubelet.podstate import POD_UID_LABEL
from kubelite.kubelet.volumes import VolumeManager

log = structlog.get_logger("kubelite.kubelet")

ORPHAN_GRACE = 1.0
"""Seconds between SIGTERM and SIGKILL for the containers of an orphaned sandbox."""


class Removable(Protocol):
    def remove(self) -> None: ...


async def clean_up(
    runtime: RuntimeService,
    volumes: VolumeManager,
    workers: Mapping[str, Removable],
    in_api: Collection[str],
) -> list[str]:
    """One cleanup pass (see the module docstring)."""
    for uid, worker in list(workers.items()):
        if uid not in in_api:
            worker.remove()
    cleaned: list[str] = []
    for sandbox in await runtime.list_pod_sandbox():
        owner = sandbox.labels.get(POD_UID_LABEL)
        if owner is None or owner in in_api or owner in workers:
            continue
        try:
            await _remove_sandbox(runtime, sandbox.id)
        except CRIError as err:
            log.warning("orphaned sandbox not removed", sandbox=sandbox.id, pod_uid=owner, error=repr(err))
            continue
        volumes.cleanup(owner)
        log.info("orphaned pod sandbox removed", sandbox=sandbox.id, pod_uid=owner)
        cleaned.append(owner)
    for owner in volumes.pod_uids():
        if owner not in in_api and owner not in workers:
            volumes.cleanup(owner)
            log.info("orphaned pod directory removed", pod_uid=owner)
    return cleaned


async def _remove_sandbox(runtime: RuntimeService, sandbox_id: str) -> None:
    containers = await runtime.list_containers(ContainerFilter(pod_sandbox_id=sandbox_id))
    async with anyio.create_task_group() as group:
        for container in containers:
            if container.state is ContainerState.RUNNING:
                group.start_soon(_stop_quietly, runtime, container.id)
    await runtime.remove_pod_sandbox(sandbox_id)


async def _stop_quietly(runtime: RuntimeService, container_id: str) -> None:
    with contextlib.suppress(CRIError):  # gone already, or the removal below kills it
        await runtime.stop_container(container_id, ORPHAN_GRACE)
