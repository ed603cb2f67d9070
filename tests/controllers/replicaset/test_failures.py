"""Slow start at the client boundary (RS-4): one sync creates at most 500 pods, in batches 1, 2,
4, …; the first failing batch ends the sync's creates and the unattempted pods' expectations are
released (the next sync does not wait 5 minutes). Failed creates and deletes (RS-8, RS-10) set
ReplicaFailure=True with FailedCreate / FailedDelete and Warning events; a clean sync removes it."""

from __future__ import annotations

import pytest

from kubelite.api.apps import ReplicaSet
from kubelite.clock import rfc3339
from tests.controllers.replicaset.harness import QUOTA_MESSAGE, Alone, QuotaClient, alone
from tests.controllers.replicaset.support import replica_set

pytestmark = pytest.mark.anyio


def _rs(a: Alone) -> ReplicaSet:
    found = a.sets.get("web", "default")
    assert found is not None
    return found


def _failure(a: Alone) -> list[tuple[str, str, str, str, str | None]]:
    rs = a.sets.get("web", "default")
    if rs is None:
        return []
    return [(c.type, c.status, c.reason, c.message, c.last_transition_time) for c in rs.status.conditions]


async def test_rs4_rs8_rs10_failed_creates_stop_the_batches_and_set_replica_failure() -> None:
    quota: list[QuotaClient] = []

    def writer(server: object, clock: object) -> QuotaClient:
        quota.append(QuotaClient(server, clock, allowance=3))  # type: ignore[arg-type]
        return quota[0]

    async with alone(writer) as a:
        client = quota[0]
        started = a.clock.now()
        await a.client.create(replica_set(replicas=10))
        await a.until(lambda: bool(_failure(a)) and _rs(a).status.replicas == 3)
        assert client.batches[:3] == [[True], [True, True], [False] * 4]
        assert all(batch == [False] for batch in client.batches[3:]), "a failing batch ends the sync"
        assert _failure(a) == [("ReplicaFailure", "True", "FailedCreate", QUOTA_MESSAGE, rfc3339(started))]
        await a.recorder.flush()
        await a.until(lambda: len([e for e in a.events.list("default") if e.reason == "FailedCreate"]) >= 1)
        failed = [e for e in a.events.list("default") if e.reason == "FailedCreate"]
        assert {(e.type, e.message) for e in failed} == {("Warning", f"Error creating: {QUOTA_MESSAGE}")}
        assert sum(e.count for e in failed) >= 4

        client.allowance = 100
        await a.until(lambda: _rs(a).status.replicas == 10 and not _failure(a), seconds=20)
        assert a.clock.now() - started < 60, "released expectations: no 5-minute wait"
        assert len(a.pods.list("default")) == 10
        assert client.attempts.count(True) == 10


async def test_rs5_rs8_rs10_failed_deletes_set_replica_failure_failed_delete() -> None:
    quota: list[QuotaClient] = []

    def writer(server: object, clock: object) -> QuotaClient:
        quota.append(QuotaClient(server, clock, allowance=100))  # type: ignore[arg-type]
        return quota[0]

    async with alone(writer) as a:
        client = quota[0]
        await a.client.create(replica_set(replicas=3))
        await a.until(lambda: (rs := a.sets.get("web", "default")) is not None and rs.status.replicas == 3)
        client.refuse_deletes = True
        scaled_at = a.clock.now()
        await a.client.patch(ReplicaSet, "web", {"spec": {"replicas": 1}}, "default")
        await a.until(lambda: bool(_failure(a)))
        (condition,) = _failure(a)
        assert len(client.delete_batches[0]) == 2, "RS-5: the sync's deletes go out in parallel"
        assert condition[:3] == ("ReplicaFailure", "True", "FailedDelete")
        assert condition[3].startswith('pods "web-') and condition[3].endswith(
            '" is forbidden: deletion refused by policy'
        )
        assert condition[4] == rfc3339(scaled_at)
        await a.recorder.flush()
        await a.until(lambda: any(e.reason == "FailedDelete" for e in a.events.list("default")))
        failed = [e for e in a.events.list("default") if e.reason == "FailedDelete"]
        assert all(e.type == "Warning" and e.message.startswith("Error deleting: pods") for e in failed)
        assert _rs(a).status.replicas == 3

        client.refuse_deletes = False
        await a.until(lambda: _rs(a).status.replicas == 1 and not _failure(a))
        await a.until(
            lambda: len([e for e in a.events.list("default") if e.reason == "SuccessfulDelete"]) == 2
        )
        deleted = sorted(e.message for e in a.events.list("default") if e.reason == "SuccessfulDelete")
        assert all(m.startswith("Deleted pod: web-") for m in deleted)


async def test_rs4_one_sync_creates_at_most_500_pods_in_slow_start_batches() -> None:
    quota: list[QuotaClient] = []

    def writer(server: object, clock: object) -> QuotaClient:
        quota.append(QuotaClient(server, clock, allowance=1_000))  # type: ignore[arg-type]
        return quota[0]

    async with alone(writer) as a:
        await a.client.create(replica_set(replicas=600))
        await a.until(lambda: (rs := a.sets.get("web", "default")) is not None and rs.status.replicas == 600)
        sizes = [len(batch) for batch in quota[0].batches]
        assert sizes[:9] == [1, 2, 4, 8, 16, 32, 64, 128, 245], "the first sync: 500 pods, slow start"
        assert sizes[9:] == [1, 2, 4, 8, 16, 32, 37], "the next sync: the remaining 100"
        assert sum(sizes[:9]) == 500
