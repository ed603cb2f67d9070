"""GC-8 in a whole local cluster on a virtual clock: deleting a namespace with running pods."""

from __future__ import annotations

import pytest

from kubelite.api.apps import ReplicaSet, ReplicaSetSpec
from kubelite.api.core import ConfigMap, Namespace, Pod, PodTemplateSpec
from kubelite.api.errors import Forbidden
from kubelite.api.meta import LabelSelector, ObjectMeta
from tests.controllers.gc.support import Running, config_map, pod, ref, running

pytestmark = pytest.mark.anyio


def _in(namespace: str, obj: ConfigMap | Pod) -> ConfigMap | Pod:
    obj.metadata.namespace = namespace
    return obj


def _condition(r: Running, kind: str) -> tuple[str, str, str] | None:
    ns = r.get(Namespace, "team", "")
    found = [c for c in ns.status.conditions if c.type == kind] if ns is not None else []
    return (found[0].status, found[0].reason, found[0].message) if found else None


async def test_gc8_namespace_is_emptied_refuses_creates_and_disappears_last() -> None:
    async with running() as r:
        client = r.cluster.client
        await client.create(Namespace(metadata=ObjectMeta(name="team")))
        owner = await client.create(_in("team", config_map("owner", namespace="team")))
        await client.create(_in("team", config_map("dep", ref(owner), namespace="team")))
        for name in ("p1", "p2"):
            await client.create(_in("team", pod(name, grace=20)))
        await r.until(
            lambda: all((p := r.get(Pod, n, "team")) and p.status.phase == "Running" for n in ("p1", "p2"))
        )
        start = r.clock.now()

        kept = await client.delete(Namespace, "team")
        assert kept is not None and kept.status.phase == "Terminating"
        remaining = (
            "True",
            "SomeResourcesRemain",
            "Some resources are remaining: pods. has 2 resource instances",
        )
        await r.until(lambda: _condition(r, "NamespaceContentRemaining") == remaining)
        assert r.get(ConfigMap, "owner", "team") is None and r.get(ConfigMap, "dep", "team") is None
        for name in ("p1", "p2"):
            terminating = r.get(Pod, name, "team")
            assert terminating is not None and terminating.metadata.deletion_grace_period_seconds == 20
        ns = r.get(Namespace, "team", "")
        assert ns is not None and ns.status.phase == "Terminating" and ns.spec.finalizers == ["kubernetes"]

        with pytest.raises(Forbidden) as refused:
            await client.create(_in("team", config_map("late", namespace="team")))
        assert refused.value.status.code == 403
        assert refused.value.status.message == (
            'configmaps "late" is forbidden: '
            "unable to create new content in namespace team because it is being terminated"
        )

        await r.until(lambda: r.get(Namespace, "team", "") is None, seconds=30)
        assert r.get(Pod, "p1", "team") is None and r.get(Pod, "p2", "team") is None
        assert r.clock.now() - start >= 19  # the pods' grace period ran before the namespace went
        assert (await client.list(ConfigMap, "team")).items == []


async def test_gc8_content_held_by_a_finalizer_keeps_the_namespace_with_conditions() -> None:
    async with running() as r:
        client = r.cluster.client
        await client.create(Namespace(metadata=ObjectMeta(name="team")))
        await client.create(
            _in("team", config_map("held", namespace="team", finalizers=["example.com/hold"]))
        )
        await client.delete(Namespace, "team")
        finalizers = (
            "True",
            "SomeFinalizersRemain",
            "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances",
        )
        await r.until(lambda: _condition(r, "NamespaceFinalizersRemaining") == finalizers)
        later = r.clock.now() + 60
        await r.until(lambda: r.clock.now() >= later)
        live = await client.get(Namespace, "team")
        assert live.status.phase == "Terminating" and live.spec.finalizers == ["kubernetes"]
        assert _condition(r, "NamespaceContentRemaining") == (
            "True",
            "SomeResourcesRemain",
            "Some resources are remaining: configmaps. has 1 resource instances",
        )
        await client.patch(ConfigMap, "held", {"metadata": {"finalizers": None}}, "team")
        await r.until(lambda: r.get(Namespace, "team", "") is None)


async def test_gc8_a_replicaset_and_its_pods_go_with_the_namespace() -> None:
    """An apps/v1 ReplicaSet with a running ReplicaSet controller: its pods are not replaced (the
    controller's creates are refused), and everything goes before the namespace."""
    async with running() as r:
        client = r.cluster.client
        await client.create(Namespace(metadata=ObjectMeta(name="team")))
        labels = {"app": "team"}
        template = PodTemplateSpec(metadata=ObjectMeta(labels=labels), spec=pod("t", grace=5).spec)
        spec = ReplicaSetSpec(replicas=2, selector=LabelSelector(match_labels=labels), template=template)
        await client.create(ReplicaSet(metadata=ObjectMeta(name="web", namespace="team"), spec=spec))
        await r.until(
            lambda: len([p for p in r.lister(Pod).list("team") if p.status.phase == "Running"]) == 2
        )
        await client.delete(Namespace, "team")
        await r.until(lambda: r.get(Namespace, "team", "") is None, seconds=30)
        assert r.lister(Pod).list("team") == [] and r.get(ReplicaSet, "web", "team") is None
