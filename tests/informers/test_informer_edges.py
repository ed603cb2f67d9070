"""Informer edges (issue 9 item 10): an index function that raises neither wedges the informer nor
half-writes its cache and is surfaced once; handler exceptions show in `InformerHealth`; a 410
relist waits for the reflector's backoff, as client-go's does."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import Any

import anyio
import pytest
import structlog.testing
from prometheus_client import CollectorRegistry

from kubelite.api.core import Pod
from kubelite.api.results import ObjectList
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.runtime import Manager, Request, Result
from kubelite.informers import EventHandlers, InformerMetrics, SharedInformer, SharedInformerFactory
from kubelite.informers.backoff import BackoffSettings
from tests.apiserver.conftest import pod
from tests.informers.faults import FaultPlan, FaultyClient
from tests.informers.test_informer import MERGE, Recorder, _server

pytestmark = pytest.mark.anyio
INDEX_FAILED = "informer_index_failed"


def by_app(obj: Pod) -> Iterable[str]:
    app = obj.metadata.labels.get("app", "")
    if app == "boom":
        raise ValueError("no index for boom")
    return [app]


@contextlib.asynccontextmanager
async def running(informer: SharedInformer[Pod]) -> AsyncIterator[None]:
    async with anyio.create_task_group() as tg:
        tg.start_soon(informer.run)
        with anyio.fail_after(5):
            await informer.wait_synced()
        yield
        tg.cancel_scope.cancel()


async def settle(clock: FakeClock, done: Any) -> None:
    with anyio.fail_after(10):
        await clock.run_until(done)


def index_errors(registry: CollectorRegistry) -> float | None:
    labels = {"kind": "Pod", "index": "app"}
    return registry.get_sample_value("kubelite_informer_index_errors_total", labels)


async def test_an_index_function_that_raises_is_surfaced_once_and_does_not_wedge_the_informer() -> None:
    async with _server() as server:
        await server.create(Pod, pod("good", app="web"), "default")
        bad = await server.create(Pod, pod("bad", app="boom"), "default")
        clock, registry, recorder = FakeClock(), CollectorRegistry(), Recorder()
        factory = SharedInformerFactory(
            InProcessClient(server),
            clock=clock,
            detect_mutation=True,
            metrics=InformerMetrics.create(registry),
        )
        informer = factory.informer(Pod)
        informer.add_indexers({"app": by_app})
        informer.add_event_handler(recorder.handlers())
        with structlog.testing.capture_logs() as logs:
            async with running(informer):
                await server.create(Pod, pod("later", app="db"), "default")
                await settle(clock, lambda: ("add", "later") in recorder.events)
                clock.advance(600.0)  # were the error retried, ten minutes of relists would show
                await settle(clock, lambda: informer.state.watching)
        assert informer.indexer.list_keys() == ["default/good", "default/later"]
        assert informer.indexer.index_values("app") == ["db", "web"]
        assert recorder.events == [("add-initial", "good"), ("add", "later")], "no events for the refused pod"
        assert (informer.state.lists, informer.state.failures) == (1, 0), "no relist loop"
        failed = [entry for entry in logs if entry["event"] == INDEX_FAILED]
        assert [(e["key"], e["resource_version"], e["index"], e["error"]) for e in failed] == [
            ("default/bad", bad.metadata.resource_version, "app", "ValueError: no index for boom")
        ]
        assert index_errors(registry) == 1
        health = informer.health()
        assert (health.rejected, health.index_errors, health.failures) == (1, 1, 0)
        assert health.last_index_error == "index 'app' failed for default/bad: ValueError: no index for boom"


async def test_a_relist_of_the_same_refused_version_is_silent_and_a_fixed_version_is_admitted() -> None:
    async with _server() as server:
        await server.create(Pod, pod("bad", app="boom"), "default")
        registry, recorder = CollectorRegistry(), Recorder()
        informer = SharedInformer(
            InProcessClient(server), Pod, clock=FakeClock(), metrics=InformerMetrics.create(registry)
        )
        informer.add_indexers({"app": by_app})
        informer.add_event_handler(recorder.handlers())
        with structlog.testing.capture_logs() as logs:
            for _ in range(3):  # the first list, then two relists (the reflector's Sink calls)
                listed = await server.list(Pod)
                informer.replace(listed.items, listed.resource_version)
            assert len([e for e in logs if e["event"] == INDEX_FAILED]) == 1
            assert index_errors(registry) == 1 and recorder.events == []
            fixed = await server.patch(Pod, "bad", {"metadata": {"labels": {"app": "web"}}}, MERGE, "default")
            informer.apply("MODIFIED", fixed)
        assert recorder.events == [("add", "bad")]
        assert informer.indexer.index_keys("app", "web") == ["default/bad"]
        assert informer.health().rejected == 0 and informer.health().index_errors == 1


async def test_an_update_that_fails_indexing_keeps_the_previous_version_until_deleted() -> None:
    async with _server() as server:
        first = await server.create(Pod, pod("a", app="web"), "default")
        recorder = Recorder()
        informer = SharedInformer(InProcessClient(server), Pod, clock=FakeClock(), detect_mutation=True)
        informer.add_indexers({"app": by_app})
        informer.add_event_handler(recorder.handlers())
        informer.replace([first], first.metadata.resource_version)
        broken = await server.patch(Pod, "a", {"metadata": {"labels": {"app": "boom"}}}, MERGE, "default")
        informer.apply("MODIFIED", broken)
        kept = informer.indexer.get("default/a")
        assert kept is not None and kept.metadata.resource_version == first.metadata.resource_version
        assert informer.indexer.index_keys("app", "web") == ["default/a"]
        assert informer.health().rejected == 1
        informer.apply("DELETED", broken)
        assert recorder.events == [("add-initial", "a"), ("delete", "a")]
        assert len(informer.indexer) == 0 and informer.indexer.index_values("app") == []
        assert informer.health().rejected == 0


async def test_handler_exceptions_show_in_informer_health() -> None:
    async with _server() as server:
        await server.create(Pod, pod("a"), "default")
        registry, recorder = CollectorRegistry(), Recorder()
        informer = SharedInformer(
            InProcessClient(server), Pod, clock=FakeClock(), metrics=InformerMetrics.create(registry)
        )

        def broken(obj: Pod, initial: bool) -> None:
            raise KeyError("missing")

        informer.add_event_handler(EventHandlers(on_add=broken))
        informer.add_event_handler(recorder.handlers())
        with structlog.testing.capture_logs() as logs:
            async with running(informer):
                pass
        health = informer.health()
        assert health.handler_errors == 1
        assert health.last_handler_error.endswith("broken: KeyError: 'missing'")
        assert recorder.events == [("add-initial", "a")], "the other handler still got the event"
        assert [e["handler"] for e in logs if e["event"] == "event_handler_failed"] == [
            health.last_handler_error.split(": ")[0]
        ]
        assert registry.get_sample_value("kubelite_informer_handler_errors_total", {"kind": "Pod"}) == 1


class ListTimes(FaultyClient):
    """Every watch answers 410 at once; each list's time on the fake clock is recorded."""

    def __init__(self, server: APIServer, clock: FakeClock) -> None:
        super().__init__(InProcessClient(server), FaultPlan(expire=1.0), seed=0)
        self.clock = clock
        self.times: list[float] = []

    async def list(self, kind: type[Any], namespace: str | None = None, **kw: Any) -> ObjectList[Any]:
        self.times.append(self.clock.monotonic())
        return await super().list(kind, namespace, **kw)


async def test_f4_f5_relist_after_410_waits_for_the_reflector_backoff() -> None:
    """client-go's reflector runs every list-and-watch round through one backoff manager (0.8 s
    doubling, 30 s cap): an expiring watch window cannot cause a relist storm."""
    async with _server() as server:
        clock = FakeClock()
        client = ListTimes(server, clock)
        informer = SharedInformer(client, Pod, clock=clock, backoff=BackoffSettings(jitter=0.0))  # type: ignore[arg-type]
        async with anyio.create_task_group() as tg:
            tg.start_soon(informer.run)
            await settle(clock, lambda: informer.state.expirations == 8)
            tg.cancel_scope.cancel()
    assert [round(t, 3) for t in client.times] == [0.0, 0.8, 2.4, 5.6, 12.0, 24.8, 50.4, 80.4]
    assert informer.state.failures == 0


async def test_the_manager_counts_informer_failures_in_its_registry() -> None:
    """A controller author sees a refused object and a failing handler on the manager's /metrics."""
    async with _server() as server:
        await server.create(Pod, pod("bad", app="boom"), "default")
        await server.create(Pod, pod("good", app="web"), "default")
        manager = Manager(InProcessClient(server), clock=FakeClock())
        informer = manager.factory.informer(Pod)
        informer.add_indexers({"app": by_app})
        informer.add_event_handler(EventHandlers(on_add=lambda obj, initial: int("not a number")))
        manager.controller("noop", Noop()).for_kind(Pod)
        async with anyio.create_task_group() as tg:
            with anyio.fail_after(5):
                await tg.start(manager.run)
            manager.stop()
        assert index_errors(manager.registry) == 1
        handler_errors = manager.registry.get_sample_value(
            "kubelite_informer_handler_errors_total", {"kind": "Pod"}
        )
        assert handler_errors == 1, "only `good` reached the handlers"


class Noop:
    async def reconcile(self, request: Request) -> Result | None:
        return None
