"""`DisruptionController`: keeps each PodDisruptionBudget's status current (NODE-16; upstream
`pkg/controller/disruption`).

    DisruptionController(manager, client, recorder, registry)

Registered on the manager's shared informers as `disruption`: a PDB event enqueues that PDB; a
pod event enqueues every PDB of the pod's namespace whose selector matches the pod (before or
after the change). One sync, level-based, reading the listers:
1. the PDB's pods (`budget_selector`: an absent selector matches none, `{}` all of the namespace);
   none → a Normal `NoPods` event "No matching pods found";
2. `expectedPods` and `desiredHealthy` (`plan.budget_targets`), with the controllers' scales when
   the budget needs them (`finders`, then the `scale` subresource of any other kind). Pods without
   a controller are left out, with a Warning `UnmanagedPods` event; a controller that cannot be
   resolved fails the sync: Warning `CalculateExpectedPodCountFailed` "Failed to calculate the
   number of expected pods: …", and the fail-safe status (`disruptionsAllowed` 0, condition
   `DisruptionAllowed` False `SyncFailed` with the error) is written instead;
3. `disruptedPods` entries run out after 2 minutes (a Warning `NotDeleted` event on the pod); the
   PDB is synced again when the next one does;
4. the status is written only when it changed, as an update carrying the PDB's resourceVersion,
   so a concurrent eviction's write makes it fail with a conflict and the sync is retried.
"""

from __future__ import annotations

import structlog

from kubelite.api.apps import Deployment, ReplicaSet
from kubelite.api.core import Pod, ReplicationController
from kubelite.api.errors import NotFound
from kubelite.api.meta import OwnerReference
from kubelite.api.policy import PodDisruptionBudget, PodDisruptionBudgetStatus
from kubelite.api.policy.budget import budget_selector, covers
from kubelite.api.registry import Registry, UnknownResourceError
from kubelite.client import Client, EventRecorder
from kubelite.controllers.disruption.finders import Workloads, find_workload, group_of, unmanaged_pods_message
from kubelite.controllers.disruption.plan import (
    budget_targets,
    count_healthy,
    fail_safe_status,
    live_disruptions,
    plan_status,
    uses_scale,
)
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.controllers.runtime.claims import controller_of

log = structlog.get_logger("kubelite.controllers.disruption")
NAME = "disruption"
COMPONENT = "controllermanager"
"""The event source upstream's disruption controller reports as."""


class ExpectedCountError(Exception):
    """The pods' controllers, and so the expected pod count, could not be determined."""


class DisruptionController:
    def __init__(self, manager: Manager, client: Client, recorder: EventRecorder, registry: Registry) -> None:
        self._client, self._recorder, self._registry = client, recorder, registry
        self._clock = manager.clock
        factory = manager.factory
        self._budgets = factory.lister(PodDisruptionBudget)
        self._pods = factory.lister(Pod)
        self._workloads = Workloads(
            factory.lister(ReplicationController), factory.lister(ReplicaSet), factory.lister(Deployment)
        )
        builder = manager.controller(NAME, self)
        builder.for_kind(PodDisruptionBudget).watches(Pod, self._budgets_of)

    def _budgets_of(self, pod: Pod) -> list[Request]:
        return [
            Request(budget.metadata.namespace, budget.metadata.name)
            for budget in self._budgets.list(pod.metadata.namespace)
            if covers(budget, pod)
        ]

    async def reconcile(self, request: Request) -> Result | None:
        budget = self._budgets.get(request.name, request.namespace)
        if budget is None:
            return None
        pods = self._pods.list(budget.metadata.namespace, budget_selector(budget))
        if not pods:
            self._recorder.event(budget, "Normal", "NoPods", "No matching pods found")
        try:
            expected, desired = await self._targets(budget, pods)
        except ExpectedCountError as err:
            message = f"Failed to calculate the number of expected pods: {err}"
            self._recorder.event(budget, "Warning", "CalculateExpectedPodCountFailed", message)
            await self._write(budget, fail_safe_status(budget, str(err), self._clock.now()))
            return None
        now = self._clock.now()
        disruptions = live_disruptions(pods, budget.status.disrupted_pods, now)
        self._warn_not_deleted(budget, pods, disruptions.expired)
        healthy = count_healthy(pods, disruptions.live)
        status = plan_status(
            budget, healthy=healthy, desired=desired, expected=expected, disrupted=disruptions.live, now=now
        )
        if status is not None:
            await self._write(budget, status)
        if disruptions.recheck_at is None:
            return None
        return Result(requeue_after=max(disruptions.recheck_at - now, 0.001))

    async def _targets(self, budget: PodDisruptionBudget, pods: list[Pod]) -> tuple[int, int]:
        expected = 0
        if uses_scale(budget.spec):
            expected = await self._expected_scale(budget, pods)
        return budget_targets(budget.spec, expected, len(pods))

    async def _expected_scale(self, budget: PodDisruptionBudget, pods: list[Pod]) -> int:
        scales: dict[str, int] = {}
        seen: set[str] = set()
        unmanaged = False
        for pod in pods:
            ref = controller_of(pod)
            if ref is None:
                unmanaged = True
                continue
            if ref.uid in seen:
                continue
            seen.add(ref.uid)
            found = await self._find(ref, pod.metadata.namespace)
            if found is None:
                raise ExpectedCountError(f'found no controllers for pod "{pod.metadata.name}"')
            scales[found[0]] = found[1]
        if unmanaged:
            message = unmanaged_pods_message(budget.spec.selector)
            self._recorder.event(budget, "Warning", "UnmanagedPods", message)
        return sum(scales.values())

    async def _find(self, ref: OwnerReference, namespace: str) -> tuple[str, int] | None:
        found = find_workload(ref, namespace, self._workloads)
        return found if found is not None else await self._scale_of(ref, namespace)

    async def _scale_of(self, ref: OwnerReference, namespace: str) -> tuple[str, int] | None:
        """Upstream's last finder: any kind that serves the scale subresource."""
        group = group_of(ref.api_version)
        version = ref.api_version.rpartition("/")[2]
        try:
            info = self._registry.by_kind(group, version, ref.kind)
        except UnknownResourceError:
            raise ExpectedCountError(
                f'no matches for kind "{ref.kind}" in version "{ref.api_version}"'
            ) from None
        if "scale" not in info.subresources:
            raise ExpectedCountError(f"{info.qualified_plural} does not implement the scale subresource")
        try:
            scale = await self._client.get_scale(info.type, ref.name, namespace)
        except NotFound:
            return None
        if scale.metadata.uid != ref.uid:
            return None
        return scale.metadata.uid, scale.spec.replicas

    def _warn_not_deleted(
        self, budget: PodDisruptionBudget, pods: list[Pod], expired: tuple[str, ...]
    ) -> None:
        namespace = budget.metadata.namespace
        # upstream prints the PDB's namespace twice (`pdb.Namespace, pdb.Namespace`); kept as it is
        message = f"Pod was expected by PDB {namespace}/{namespace} to be deleted but it wasn't"
        for pod in pods:
            if pod.metadata.name in expired:
                log.info("pdb_disruption_expired", pod=pod.metadata.name, budget=budget.metadata.name)
                self._recorder.event(pod, "Warning", "NotDeleted", message)

    async def _write(self, budget: PodDisruptionBudget, status: PodDisruptionBudgetStatus) -> None:
        if status == budget.status:
            return
        updated = PodDisruptionBudget(metadata=budget.metadata, spec=budget.spec, status=status)
        try:
            await self._client.update_status(updated)
        except NotFound:
            return
