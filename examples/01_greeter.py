"""A custom controller: each ConfigMap labelled `example.kubelite.io/greet` gets a Pod that echoes
the ConfigMap's `greeting`, owned by it, so deleting the Pod brings it back.

Run it with `.venv/bin/python examples/01_greeter.py`; Ctrl-C (or SIGTERM) stops it gracefully.
It embeds its own API server; against another cluster only the client changes.
"""

from __future__ import annotations

import anyio

from kubelite.api.core import ConfigMap, Container, Pod, PodSpec
from kubelite.api.errors import AlreadyExists
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.controllers.runtime import Manager, Request, Result, matching
from kubelite.store.memory import MemoryStorage

GREET = "example.kubelite.io/greet"


class Greeter:
    def __init__(self, manager: Manager) -> None:
        self.client = manager.client
        self.config_maps = manager.factory.lister(ConfigMap)
        self.pods = manager.factory.lister(Pod)

    async def reconcile(self, request: Request) -> Result | None:
        config_map = self.config_maps.get(request.name, request.namespace)
        if config_map is None:
            return None  # deleted: its Pod goes with it (ownerReferences)
        name = f"{request.name}-greeter"
        if self.pods.get(name, request.namespace) is None:
            try:
                await self.client.create(greeter_pod(config_map, name))
                print(f"created pod {request.namespace}/{name}", flush=True)
            except AlreadyExists:
                pass  # our cache had not seen it yet
        return None


def greeter_pod(config_map: ConfigMap, name: str) -> Pod:
    meta = config_map.metadata
    owner = OwnerReference(api_version="v1", kind="ConfigMap", name=meta.name, uid=meta.uid, controller=True)
    greeting = config_map.data.get("greeting", "hello")
    return Pod(
        metadata=ObjectMeta(name=name, namespace=meta.namespace, owner_references=[owner]),
        spec=PodSpec(containers=[Container(name="greet", image="busybox", command=["echo", greeting])]),
    )


def setup(manager: Manager) -> None:
    manager.controller("greeter", Greeter(manager)).for_kind(
        ConfigMap, predicates=[matching(lambda cm: GREET in cm.metadata.labels)]
    ).owns(Pod)


async def main() -> None:
    async with MemoryStorage() as storage:
        server = APIServer(storage)
        await server.bootstrap()
        manager = Manager(InProcessClient(server))
        setup(manager)
        hello = ObjectMeta(name="hello", namespace="default", labels={GREET: "yes"})
        await manager.client.create(ConfigMap(metadata=hello, data={"greeting": "hello from kubelite"}))
        await manager.serve()  # until Ctrl-C or SIGTERM, then a graceful stop


if __name__ == "__main__":
    anyio.run(main)
