"""The README's custom controller (`examples/01_greeter.py`) works (issue 9, item 13).

In process: the builder's `for_kind` with a custom predicate and `owns(Pod)` make a labelled
ConfigMap get its Pod, and a deleted Pod come back. As a script: `Manager.serve()` is the one call
that runs the manager, and SIGTERM stops it gracefully (exit status 0, controllers then informers).
"""

from __future__ import annotations

import importlib.util
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import anyio
import anyio.lowlevel
import pytest

from kubelite.api.core import ConfigMap, Pod
from kubelite.api.meta import ObjectMeta
from kubelite.apiserver import APIServer
from kubelite.client import InProcessClient
from kubelite.clock import FakeClock
from kubelite.controllers.runtime import Manager
from kubelite.store.memory import MemoryStorage

pytestmark = pytest.mark.anyio
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "01_greeter.py"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("greeter_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def _pods(client: InProcessClient) -> dict[str, str]:
    """Pod name → the name of its controlling owner."""
    items = (await client.list(Pod, "default")).items
    return {p.metadata.name: p.metadata.owner_references[0].name for p in items}


async def _until_pods(client: InProcessClient, expected: dict[str, str]) -> None:
    with anyio.fail_after(5):
        while await _pods(client) != expected:
            await anyio.lowlevel.checkpoint()


async def test_greeter_gives_each_labelled_config_map_a_pod_and_restores_it() -> None:
    example = _example()
    async with MemoryStorage() as storage:
        server = APIServer(storage, clock=FakeClock())
        await server.bootstrap()
        client = InProcessClient(server)
        manager = Manager(client, clock=FakeClock())
        example.setup(manager)
        async with anyio.create_task_group() as tg:
            await tg.start(manager.run)
            labels = {example.GREET: "yes"}
            meta = ObjectMeta(name="hello", namespace="default", labels=labels)
            await client.create(ConfigMap(metadata=meta, data={"greeting": "hi"}))
            await client.create(ConfigMap(metadata=ObjectMeta(name="plain", namespace="default")))
            await _until_pods(client, {"hello-greeter": "hello"})
            created = await client.get(Pod, "hello-greeter", "default")
            assert created.spec.containers[0].command == ["echo", "hi"]
            await client.delete(Pod, "hello-greeter", "default")
            with anyio.fail_after(5):
                while (await _uid(client, "hello-greeter")) in ("", created.metadata.uid):
                    await anyio.lowlevel.checkpoint()
            assert await _pods(client) == {"hello-greeter": "hello"}
            manager.stop()


async def _uid(client: InProcessClient, name: str) -> str:
    items = (await client.list(Pod, "default")).items
    return next((p.metadata.uid for p in items if p.metadata.name == name), "")


@pytest.mark.slow
def test_greeter_script_runs_with_one_call_and_stops_gracefully_on_sigterm() -> None:
    with subprocess.Popen(
        [sys.executable, str(EXAMPLE)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:  # bounded by the per-test timeout
            lines.append(line)
            if "created pod default/hello-greeter" in line:
                break
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    output = "".join(lines) + rest
    assert process.returncode == 0, output
    events = [
        e
        for e in ("manager_started", "manager_signal", "controller_stopped", "manager_stopped")
        if e in output
    ]
    assert events == ["manager_started", "manager_signal", "controller_stopped", "manager_stopped"], output
    assert output.index("controller_stopped") < output.index("manager_stopped")


def test_readme_shows_the_example_as_it_runs() -> None:
    """The README's "Writing a controller" code is the example file's code, verbatim."""
    readme = (EXAMPLE.parents[1] / "README.md").read_text()
    code = EXAMPLE.read_text()
    body = code[code.index("from __future__") :]
    section = readme[readme.index("### Writing a controller") :]
    assert section.split("```python\n", 1)[1].split("```", 1)[0] == body
