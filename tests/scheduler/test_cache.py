"""The scheduler cache: assumed pods count at once, are confirmed without double counting, and
are released when a bind fails; terminal pods do not count (SCH-5)."""

from __future__ import annotations

from kubelite.scheduler.cache import SchedulerCache
from kubelite.scheduler.podinfo import PodInfo
from tests.scheduler.builders import node, pod


def _cache() -> SchedulerCache:
    cache = SchedulerCache()
    cache.add_node(node("a"))
    cache.add_node(node("b"))
    return cache


def _usage(cache: SchedulerCache, name: str) -> tuple[int, int, int]:
    info = cache.node(name)
    assert info is not None
    return info.pod_count, info.requested_cpu, info.requested_memory


def test_assumed_then_bound_is_counted_once() -> None:
    cache = _cache()
    pending = pod("web", cpu="1", memory="1Gi")
    cache.assume(PodInfo(pending), "a")
    assert _usage(cache, "a") == (1, 1000, 1024**3)
    pending.spec.node_name = "a"
    cache.add_pod(PodInfo(pending))
    cache.add_pod(PodInfo(pending))
    assert _usage(cache, "a") == (1, 1000, 1024**3)
    assert not cache.is_assumed("uid-web")
    cache.forget("uid-web")  # too late: confirmed pods stay
    assert _usage(cache, "a") == (1, 1000, 1024**3)


def test_forget_releases_an_assumption() -> None:
    cache = _cache()
    cache.assume(PodInfo(pod("web", cpu="1", host_ports=[80])), "a")
    cache.forget("uid-web")
    assert _usage(cache, "a") == (0, 0, 0)
    info = cache.node("a")
    assert info is not None and info.ports == {}


def test_pod_bound_elsewhere_moves() -> None:
    cache = _cache()
    cache.assume(PodInfo(pod("web", cpu="1")), "a")
    cache.add_pod(PodInfo(pod("web", cpu="1", node_name="b")))
    assert _usage(cache, "a") == (0, 0, 0)
    assert _usage(cache, "b") == (1, 1000, 0)


def test_terminal_pods_leave_and_unknown_nodes_keep_counts() -> None:
    cache = _cache()
    done = pod("job", cpu="1", node_name="a")
    cache.add_pod(PodInfo(done))
    done.status.phase = "Succeeded"
    cache.add_pod(PodInfo(done))
    assert _usage(cache, "a") == (0, 0, 0)
    cache.add_pod(PodInfo(pod("early", cpu="1", node_name="c")))
    assert [n.name for n in cache.nodes] == ["a", "b"]
    cache.add_node(node("c"))
    assert _usage(cache, "c") == (1, 1000, 0)
    cache.remove_node("a")
    assert [n.name for n in cache.nodes] == ["b", "c"]
    cache.remove_pod("uid-early")
    assert _usage(cache, "c") == (0, 0, 0)
