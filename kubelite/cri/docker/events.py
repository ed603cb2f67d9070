"""Container lifecycle events from the daemon's event stream (`GET /events`).

Contract: `watch(docker, runtime, since)` yields a `ContainerEvent` for every lifecycle change of
the app containers made by the runtime named `runtime`, from `since` (epoch seconds) on, in the
daemon's order, until the caller stops iterating. The daemon filters by type, action and the
`io.kubelite.*` labels; it replays what happened since `since` from its recent-event buffer before
streaming live events, so a subscription taken at time T misses nothing after T even though the
HTTP request is only made on the first iteration (on the same host's clock). Actions map as
create → CREATED, start → STARTED, die → STOPPED, destroy → DELETED; the sandbox id comes from
the container's labels, which the daemon copies into each event. The stream ends if the daemon
closes it; daemon failures are the caller's to translate.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiodocker
import msgspec

from kubelite.cri.container import ContainerEvent, ContainerEventType
from kubelite.cri.docker import labels as kl
from kubelite.cri.docker.endpoints import open_stream
from kubelite.cri.docker.wire import Event

ACTIONS = {
    "create": ContainerEventType.CREATED,
    "start": ContainerEventType.STARTED,
    "die": ContainerEventType.STOPPED,
    "destroy": ContainerEventType.DELETED,
}

_decoder = msgspec.json.Decoder(Event)


def to_event(event: Event) -> ContainerEvent | None:
    kind = ACTIONS.get(event.action)
    if kind is None or event.type != "container":
        return None
    attributes = event.actor.attributes or {}
    return ContainerEvent(
        container_id=event.actor.id,
        pod_sandbox_id=attributes.get(kl.SANDBOX_ID, ""),
        type=kind,
        created_at=event.time_nano / 1e9,
    )


def query(runtime: str, since: float) -> dict[str, Any]:
    filters = kl.filters(runtime, kl.CONTAINER, {})
    filters.update(type=["container"], event=list(ACTIONS))
    return {"since": f"{since:.9f}", "filters": filters}


async def watch(docker: aiodocker.Docker, runtime: str, since: float) -> AsyncIterator[ContainerEvent]:
    # aiodocker's DockerEvents shares one background task per client; this reads the endpoint itself.
    async with open_stream(docker, "events", query(runtime, since)) as response:
        async for line in response.content:
            if not line.strip():
                continue
            event = to_event(_decoder.decode(line))
            if event is not None:
                yield event
