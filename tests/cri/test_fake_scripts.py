"""The fake runtime's command language: what a container's command + args do over time (KUB-4).

Each row runs a container on the FakeClock and records its log lines (with the second they were
written), its exit code and when it ended; None for the end means it is still running at 100 s.
"""

from __future__ import annotations

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelite.cri import (
    ContainerConfig,
    ContainerMetadata,
    ContainerState,
    CRIError,
    InvalidConfig,
    KeyValue,
    LogOptions,
)
from kubelite.cri.fake import shell
from kubelite.cri.fake.commands import Kind
from kubelite.cri.fake.script import Step, UnsupportedScript, parse_command, parse_script
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
    ((*SH, "echo 'unbalanced"), [(0, "sh: syntax error: unterminated quoted string")], 2, 0),
    ((*SH, "cat /tmp/none 2>/dev/null; echo $?"), [(0, "1")], 0, 0),
    ((*SH, "cat /tmp/none >/dev/null 2>&1 || echo failed"), [(0, "failed")], 0, 0),
    (
        (*SH, "cat /tmp/none 2>&1 >/dev/null"),
        [(0, "cat: can't open '/tmp/none': No such file or directory")],
        1,
        0,
    ),
    (
        (*SH, "cat /tmp/none 2>/tmp/err; cat /tmp/err"),
        [(0, "cat: can't open '/tmp/none': No such file or directory")],
        0,
        0,
    ),
    (
        (*SH, "cat /tmp/none &>/tmp/all; echo x >>/tmp/all; cat /tmp/all"),
        [(0, "cat: can't open '/tmp/none': No such file or directory"), (0, "x")],
        0,
        0,
    ),
    ((*SH, "false; echo $? \"$?\" '$?'; exit $?"), [(0, "1 1 $?")], 0, 0),
    ((*SH, "false; exit $?"), [], 1, 0),
    ((*SH, "if true; then echo yes; else echo no; fi"), [(0, "yes")], 0, 0),
    ((*SH, "if false; then echo a; elif [ 2 -gt 1 ]; then echo b; else echo c; fi"), [(0, "b")], 0, 0),
    ((*SH, "if [ a = b ]; then echo a; elif false; then echo b; else echo c; exit 5; fi"), [(0, "c")], 5, 0),
    ((*SH, "if false; then echo a; fi; echo $?"), [(0, "0")], 0, 0),
    ((*SH, "if true; then false; fi; echo $?"), [(0, "1")], 0, 0),
    (
        (
            *SH,
            "if [ -f /tmp/x ]\nthen echo there\nelse\n  touch /tmp/x; sleep 2\nfi\n[ -f /tmp/x ] && echo made",
        ),
        [(2, "made")],
        0,
        2,
    ),
    ((*SH, "while [ ! -f /tmp/r ]; do sleep 1; touch /tmp/r; done; echo ready"), [(1, "ready")], 0, 1),
    ((*SH, "until [ -f /tmp/r ]; do sleep 2; touch /tmp/r; done && echo ok"), [(2, "ok")], 0, 2),
    ((*SH, "while true; do :; done; echo never"), [], None, None),
    ((*SH, "mkdir -p /www && set -e && echo up"), [(0, "up")], 0, 0),
    ((*SH, "if true; then echo a"), [(0, 'sh: syntax error: unexpected end of file (expecting "fi")')], 2, 0),
    ((*SH, "echo a; fi"), [(0, 'sh: syntax error: unexpected "fi"')], 2, 0),
    ((*SH, "while true; then :; done"), [(0, 'sh: syntax error: unexpected "then"')], 2, 0),
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


async def _started(fake: FakeHarness, script: str) -> str:
    sandbox_id, sandbox = await new_sandbox(fake)
    config = ContainerConfig(metadata=ContainerMetadata(name="c"), image=fake.image, command=(*SH, script))
    container_id = await fake.runtime.create_container(sandbox_id, config, sandbox)
    await fake.runtime.start_container(container_id)
    return container_id


async def test_redirections_route_stdout_and_stderr_in_order(fake: FakeHarness) -> None:
    script = "echo to-err >&2; cat /none 2>&1; echo out 1>&2 2>/dev/null; echo gone >/dev/null 2>&1"
    container_id = await _started(fake, script)
    lines = [(line.stream, line.text) async for line in fake.runtime.logs(container_id, LogOptions())]
    assert lines == [
        ("stderr", "to-err"),
        ("stdout", "cat: can't open '/none': No such file or directory"),
        ("stderr", "out"),
    ]


@pytest.mark.parametrize(
    ("script", "what"),
    [
        ("for i in 1 2; do echo $i; done", "'for' loops"),
        ("echo $(date)", "command substitution ('$(')"),
        ("echo `date`", "command substitution ('`')"),
        ("X=1; echo $X", "variable assignments ('X=1')"),
        ("export X=1", "variable assignments (export NAME=VALUE)"),
        ("case a in a) echo a;; esac", "'case'"),
        ("f() { echo a; }; f", "'( )' subshells and functions"),
        ("(echo a)", "'( )' subshells and functions"),
        ("cat <<EOF\nhi\nEOF", "here-documents ('<<')"),
        ("true && if true; then :; fi", "'if' after '&&'"),
        ("while true; do sleep 1; done > /log", "redirecting or backgrounding 'done'"),
        ("! false", "'!' negation"),
        ("sh -c 'exit 3'", "nested shells ('sh')"),
        ("echo a && /bin/bash -c 'exit 3'", "nested shells ('bash')"),
        ("echo ${A:-b}", "parameter expansion ('${A:-b}')"),
        ('echo "${#NAME}"', "parameter expansion ('${#NAME}')"),
        ("kill $$", "special parameters ('$$')"),
        ('echo "$@"', "special parameters ('$@')"),
    ],
    ids=[
        "for",
        "subst",
        "backticks",
        "assign",
        "export",
        "case",
        "function",
        "subshell",
        "heredoc",
        "and-if",
        "redirected-loop",
        "negation",
        "nested-sh",
        "nested-bash",
        "default-value",
        "length",
        "pid",
        "all-args",
    ],
)
async def test_syntax_the_fake_cannot_interpret_fails_the_start_with_a_clear_error(
    fake: FakeHarness, script: str, what: str
) -> None:
    sandbox_id, sandbox = await new_sandbox(fake)
    config = ContainerConfig(metadata=ContainerMetadata(name="c"), image=fake.image, command=(*SH, script))
    container_id = await fake.runtime.create_container(sandbox_id, config, sandbox)
    with pytest.raises(InvalidConfig) as raised:
        await fake.runtime.start_container(container_id)
    assert str(raised.value) == f"the fake runtime cannot interpret this command: {what} is not supported"
    assert (await fake.runtime.container_status(container_id)).state is ContainerState.CREATED


async def test_exec_of_unsupported_syntax_raises_and_a_busy_exec_loop_times_out(fake: FakeHarness) -> None:
    container_id = await _started(fake, "sleep 3600")
    with pytest.raises(InvalidConfig, match="'for' loops is not supported"):
        await fake.runtime.exec_sync(container_id, ["sh", "-c", "for x in a; do :; done"], 1)
    async with anyio.create_task_group() as group:
        group.start_soon(fake.elapse, 1)
        with pytest.raises(CRIError, match="timed out after 1"):
            await fake.runtime.exec_sync(container_id, ["sh", "-c", "while true; do :; done"], 1)
    result = await fake.runtime.exec_sync(container_id, ["sh", "-c", "if [ -n x ]; then exit 4; fi"], 1)
    assert result.exit_code == 4


def test_parse_keeps_the_descriptor_of_a_redirection() -> None:
    assert parse_script("cmd 2>/dev/null >>/log") == (
        Step(argv=("cmd",), stderr="/dev/null", redirect="/log", append=True),
    )
    assert parse_script("echo 2 >/x") == (Step(argv=("echo", "2"), redirect="/x"),)
    assert parse_script("echo '2>x'") == (Step(argv=("echo", "2>x")),)


_WORDS = [
    "if", "then", "elif", "else", "fi", "while", "until", "do", "done", "true", "false", ":",
    "echo a", "echo $?", "exit 3", "sleep 1", "cat /f", "touch /f", "rm /f", "[ -f /f ]",
    "[ $? -eq 0 ]", ";", "\n", "&&", "||", "&", "|", ">/f", "2>&1", ">&2", "2>/dev/null",
    "'", '"', "for", "x=1", "$(", "(", "}", "#",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14))
def test_any_script_parses_or_is_rejected_and_runs_to_a_stop(words: list[str]) -> None:
    """A property: any text either parses (jumps stay in the program) or raises UnsupportedScript,
    and running it always stops: it exits, blocks, or sleeps, never spins the event loop."""
    try:
        program = parse_script(" ".join(words))
    except UnsupportedScript:
        return
    assert all(0 <= step.jump <= len(program) for step in program if step.jump >= 0)
    process = shell.Shell(program=program)
    for _ in range(50):  # every `run` returns; a sleeping loop is resumed a bounded number of times
        outcome = shell.run(process, {}, lambda stream, text: None)
        if outcome.kind is not Kind.SLEEP:
            break
