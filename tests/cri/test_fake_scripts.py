"""The fake runtime's command language: what a container's command + args do over time (KUB-4).

Each row runs a container on the FakeClock and records its log lines (with the second they were
written), its exit code and when it ended; None for the end means it is still running at 100 s.
"""

from __future__ import annotations

import pytest

from kubelite.cri import ContainerConfig, ContainerMetadata, ContainerState, KeyValue, LogOptions
from kubelite.cri.fake.script import Step, parse_command, parse_script
from tests.cri.builders import new_sandbox
from tests.cri.harness import FakeHarness

pytestmark = pytest.mark.anyio

SH = ("sh", "-c")

CASES = [
    (("sleep", "5"), [], 0, 5),
    (("/bin/sleep", "1.5"), [], 0, 1.5),
    (("sleep", "1m"), [], 0, 60),
    (("sleep", "infinity"), [], None, None),
    (("true",), [], 0, 0),
    (("false",), [], 1, 0),
    (("echo", "hello", "world"), [(0, "hello world")], 0, 0),
    ((), [], None, None),
    (("httpd", "-f", "-p", "8080"), [], None, None),
    ((*SH, "echo a; sleep 5; exit 3"), [(0, "a")], 3, 5),
    ((*SH, "echo a; sleep 5; echo b"), [(0, "a"), (5, "b")], 0, 5),
    ((*SH, "false && echo no; echo yes"), [(0, "yes")], 0, 0),
    ((*SH, "echo a && false && sleep 5"), [(0, "a")], 1, 0),
    ((*SH, "false || exit 4"), [], 4, 0),
    ((*SH, "true || exit 4"), [], 0, 0),
    ((*SH, "sleep 2 && exit 9; echo never"), [], 9, 2),
    ((*SH, "exit 300"), [], 44, 0),
    (("/bin/sh", "-c", "echo 'a; b' \"c && d\""), [(0, "a; b c && d")], 0, 0),
    ((*SH, "echo one\nsleep 1\necho two"), [(0, "one"), (1, "two")], 0, 1),
    ((*SH, "echo hidden > /tmp/x; cat /tmp/x"), [(0, "hidden")], 0, 0),
    ((*SH, "cat /tmp/none"), [(0, "cat: can't open '/tmp/none': No such file or directory")], 1, 0),
    ((*SH, "echo $GREETING ${NAME}! '$GREETING'"), [(0, "hi kube! $GREETING")], 0, 0),
    ((*SH, "sleep 3 & echo bg"), [(0, "bg")], 0, 0),
    ((*SH, "exec sleep 4"), [], 0, 4),
    ((*SH, "while true; do sleep 1; done"), [], None, None),
    ((*SH, "echo 'unbalanced"), [], 2, 0),
    (("sleep", "abc"), [(0, "sleep: invalid number 'abc'")], 1, 0),
]


@pytest.mark.parametrize(
    ("argv", "logged", "exit_code", "ends_at"), CASES, ids=[" ".join(c[0]) or "image-default" for c in CASES]
)
async def test_command_runs_over_time(
    fake: FakeHarness,
    argv: tuple[str, ...],
    logged: list[tuple[float, str]],
    exit_code: int | None,
    ends_at: float | None,
) -> None:
    sandbox_id, sandbox = await new_sandbox(fake)
    config = ContainerConfig(
        metadata=ContainerMetadata(name="c"),
        image=fake.image,
        command=argv[:1],
        args=argv[1:],
        envs=(KeyValue(key="GREETING", value="hi"), KeyValue(key="NAME", value="kube")),
    )
    container_id = await fake.runtime.create_container(sandbox_id, config, sandbox)
    await fake.runtime.start_container(container_id)
    await fake.elapse(100)
    status = await fake.runtime.container_status(container_id)
    lines = [line async for line in fake.runtime.logs(container_id, LogOptions())]
    assert [(line.time - status.started_at, line.text) for line in lines] == logged
    if exit_code is None:
        assert status.state is ContainerState.RUNNING
    else:
        assert (status.state, status.exit_code) == (ContainerState.EXITED, exit_code)
        assert status.finished_at - status.started_at == ends_at
        assert status.reason == ("Completed" if exit_code == 0 else "Error")


async def test_a_script_advances_step_by_step_as_time_passes(fake: FakeHarness) -> None:
    sandbox_id, sandbox = await new_sandbox(fake)
    config = ContainerConfig(
        metadata=ContainerMetadata(name="c"),
        image=fake.image,
        command=("sh", "-c", "sleep 2; echo x; sleep 3"),
    )
    container_id = await fake.runtime.create_container(sandbox_id, config, sandbox)
    await fake.runtime.start_container(container_id)
    await fake.elapse(1.9)
    assert [line.text async for line in fake.runtime.logs(container_id, LogOptions())] == []
    await fake.elapse(0.1)
    assert [line.text async for line in fake.runtime.logs(container_id, LogOptions())] == ["x"]
    await fake.elapse(2.9)
    assert (await fake.runtime.container_status(container_id)).state is ContainerState.RUNNING
    await fake.elapse(0.1)
    assert (await fake.runtime.container_status(container_id)).state is ContainerState.EXITED


@pytest.mark.parametrize(
    ("script", "links"),
    [
        ("a; b && c || d", [";", ";", "&&", "||"]),
        ("a && b; c", [";", "&&", ";"]),
    ],
    ids=["mixed", "and-then-list"],
)
def test_parse_links_steps_as_and_or_lists(script: str, links: list[str]) -> None:
    assert [step.link for step in parse_script(script)] == links


def test_parse_command_keeps_plain_argv_and_drops_exec() -> None:
    assert parse_command(("exec", "nginx", "-g", "daemon off;")) == (
        Step(argv=("nginx", "-g", "daemon off;")),
    )
    assert parse_command(("bash", "-ec", "echo hi >> /log")) == (
        Step(argv=("echo", "hi"), redirect="/log", append=True),
    )
