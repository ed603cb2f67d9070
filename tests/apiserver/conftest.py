"""Fixtures for apiserver tests: a server over the memory store with a fake clock, and builders."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from kubelite.api.apps import Deployment, DeploymentSpec
from kubelite.api.core import Container, Node, Pod, PodSpec, PodTemplateSpec
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.clock import FakeClock
from kubelite.store.memory import MemoryStorage


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def server(clock: FakeClock) -> AsyncIterator[APIServer]:
    async with MemoryStorage(history=1000) as storage:
        api = APIServer(storage, clock=clock)
        await api.bootstrap()
        yield api


def pod(name: str = "web", namespace: str = "default", node: str = "", **labels: str) -> Pod:
    return Pod(
        metadata=ObjectMeta(name=name, namespace=namespace, labels=labels),
        spec=PodSpec(containers=[Container(name="app", image="busybox:1.36")], node_name=node),
    )


def deployment(name: str = "web", replicas: int | None = 3, image: str = "busybox:1.36") -> Deployment:
    labels = {"app": name}
    return Deployment(
        metadata=ObjectMeta(name=name, namespace="default"),
        spec=DeploymentSpec(
            replicas=replicas,
            selector=LabelSelector(match_labels=labels),
            template=PodTemplateSpec(
                metadata=ObjectMeta(labels=labels),
                spec=PodSpec(containers=[Container(name="web", image=image)]),
            ),
        ),
    )


def node(name: str = "node1") -> Node:
    return Node(metadata=ObjectMeta(name=name))
