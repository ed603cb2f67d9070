"""GC-2, GC-3, GC-4 in a whole local cluster on a virtual clock: dependents of absent owners."""

from __future__ import annotations

import pytest

from kubelite.api.core import ConfigMap, Namespace
from kubelite.api.meta import ObjectMeta, OwnerReference
from tests.controllers.gc.support import config_map, ref, running

pytestmark = pytest.mark.anyio


def _ghost(name: str = "ghost", uid: str = "no-such-uid", kind: str = "ConfigMap") -> OwnerReference:
    return OwnerReference(api_version="v1", kind=kind, name=name, uid=uid)


async def test_gc3_dependent_created_pointing_at_a_nonexistent_uid_is_collected() -> None:
    async with running() as r:
        client = r.cluster.client
        await client.create(config_map("orphaned", _ghost()))
        await client.create(config_map("free"))
        await r.until(lambda: r.get(ConfigMap, "orphaned") is None)
        assert r.get(ConfigMap, "free") is not None  # no ownerReferences: never collected


async def test_gc2_owner_with_the_same_name_but_another_uid_counts_as_absent() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        await client.create(config_map("stale", _ghost("owner", "an-old-uid")))
        await client.create(config_map("kept", ref(owner)))
        await r.until(lambda: r.get(ConfigMap, "stale") is None)
        assert r.get(ConfigMap, "kept") is not None and r.get(ConfigMap, "owner") is not None


async def test_gc3_only_the_absent_references_are_removed_while_one_owner_exists() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        await client.create(config_map("both", ref(owner, block=True), _ghost()))

        def pruned() -> bool:
            cm = r.get(ConfigMap, "both")
            return cm is not None and [o.uid for o in cm.metadata.owner_references] == [owner.metadata.uid]

        await r.until(pruned)
        cm = r.get(ConfigMap, "both")
        assert cm is not None and cm.metadata.deletion_timestamp is None
        assert cm.metadata.owner_references == [ref(owner, block=True)]


async def test_gc3_all_owners_absent_honours_the_dependents_orphan_finalizer() -> None:
    """The collected object carries `orphan`: it is deleted with Orphan, so its own dependent
    survives without the reference, and then it goes."""
    async with running() as r:
        client = r.cluster.client
        middle = await client.create(config_map("middle", _ghost(), finalizers=["orphan"]))
        await client.create(config_map("leaf", ref(middle)))
        await r.until(lambda: r.get(ConfigMap, "middle") is None)
        leaf = r.get(ConfigMap, "leaf")
        assert leaf is not None and leaf.metadata.owner_references == []
        assert leaf.metadata.deletion_timestamp is None


async def test_gc4_background_owner_goes_at_once_then_its_dependents() -> None:
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        await client.create(config_map("a", ref(owner)))
        await client.create(config_map("b", ref(owner, block=True)))
        await r.until(lambda: r.get(ConfigMap, "b") is not None and r.get(ConfigMap, "a") is not None)
        assert await client.delete(ConfigMap, "owner", "default") is None  # removed at once
        assert await r.live(ConfigMap, "owner") is None
        await r.until(lambda: r.get(ConfigMap, "a") is None and r.get(ConfigMap, "b") is None)


async def test_gc2_owner_uid_from_another_namespace_is_absent_with_a_warning_event() -> None:
    async with running() as r:
        client = r.cluster.client
        await client.create(Namespace(metadata=ObjectMeta(name="other")))
        owner = await client.create(config_map("owner", namespace="other"))
        await client.create(config_map("owner", namespace="default"))  # same name, another uid
        dependent = await client.create(config_map("cross", ref(owner)))
        await r.until(lambda: r.get(ConfigMap, "cross") is None)
        await r.until(lambda: bool(r.messages("OwnerRefInvalidNamespace")))
        (event,) = [e for e in r.lister_events() if e.reason == "OwnerRefInvalidNamespace"]
        assert event.type == "Warning"
        assert event.involved_object.uid == dependent.metadata.uid
        assert event.message == (
            f"ownerRef [v1/ConfigMap, namespace: default, name: owner, uid: {owner.metadata.uid}] "
            'does not exist in namespace "default"'
        )
        assert r.get(ConfigMap, "owner", "other") is not None


async def test_gc2_cluster_scoped_dependent_of_a_namespaced_owner_is_never_collected() -> None:
    """Upstream leaves such an object alone (the reference cannot resolve) and warns; an absent
    cluster-scoped owner, by contrast, gets a cluster-scoped dependent collected."""
    async with running() as r:
        client = r.cluster.client
        owner = await client.create(config_map("owner"))
        bad = Namespace(metadata=ObjectMeta(name="bad", owner_references=[ref(owner)]))
        await client.create(bad)
        gone = Namespace(metadata=ObjectMeta(name="gone", owner_references=[_ghost("x", "u", "Namespace")]))
        await client.create(gone)
        await r.until(lambda: bool(r.messages("OwnerRefInvalidNamespace")))
        await r.until(
            lambda: (ns := r.get(Namespace, "gone", "")) is None or ns.metadata.deletion_timestamp is not None
        )
        ns = r.get(Namespace, "bad", "")
        assert ns is not None and ns.metadata.deletion_timestamp is None
        assert r.messages("OwnerRefInvalidNamespace") == [
            f"ownerRef [v1/ConfigMap, namespace: , name: owner, uid: {owner.metadata.uid}] "
            'does not exist in namespace ""'
        ]
