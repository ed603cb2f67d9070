"""The interpreted process of one fake container (or one exec): a program counter over steps.

Contract: `Shell` is the whole state of a process: its program, the next step, the last exit
status and its SIGTERM disposition. `run(shell, files, write)` executes steps from the current
position until the process blocks or ends, and returns SLEEP (resume with `run` after `seconds`),
FOREVER (it blocks until signalled), or EXIT (with the status). Nothing here reads a clock: the
runtime decides when a sleep is over. `write(stream, text)` receives output that is not redirected
to a file. `terminate(shell, files, write)` delivers SIGTERM and returns the exit code when the
process dies of it, or None when it survives (ignored, or a trap that does not exit).
Jump steps (`if`, loops) move the program counter; a process that runs `STEP_BUDGET` steps without
sleeping (a busy loop) blocks as FOREVER instead of hanging the event loop.
`run_exec` runs a whole exec command and reports its output and how long it sleeps in total.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from kubelite.cri.fake.commands import FOREVER, Kind, Outcome, evaluate
from kubelite.cri.fake.script import Program, Step

SIGTERM_EXIT = 143
SIGKILL_EXIT = 137
STEP_BUDGET = 10_000

Write = Callable[[str, str], None]


class Shell(msgspec.Struct, gc=False):
    """A process: `on_term` None dies of SIGTERM, () ignores it, else runs that trap action."""

    program: Program
    pc: int = 0
    status: int = 0
    on_term: Program | None = None
    exited: bool = False  # an explicit `exit` ran


def run(shell: Shell, files: dict[str, str], write: Write, *, serving: bool = True) -> Outcome:
    """Run until the process sleeps, blocks for good or exits. A loop that runs `STEP_BUDGET`
    steps without sleeping spins forever as far as anyone can tell: it blocks (FOREVER)."""
    program = shell.program
    budget = STEP_BUDGET
    while shell.pc < len(program):
        budget -= 1
        if budget < 0:
            return FOREVER
        step = program[shell.pc]
        shell.pc += 1
        if not _runs(step, shell):
            continue
        outcome = evaluate(step, shell.status, files, serving)
        _output(step, outcome, files, write)
        if outcome.kind is Kind.TRAP:
            shell.on_term, shell.status = outcome.trap, 0
        elif outcome.kind is Kind.DONE or step.background:
            shell.status = outcome.status
        elif outcome.kind is Kind.EXIT:
            shell.status, shell.pc, shell.exited = outcome.status, len(program), True
            return outcome
        else:  # SLEEP or FOREVER: the step's status (0) counts once it is over
            shell.status = 0
            return outcome
    return Outcome(kind=Kind.EXIT, status=shell.status)


def _runs(step: Step, shell: Shell) -> bool:
    """Whether `step` runs a command: a jump step moves the counter instead, and an AND-OR link
    skips a step the previous status rules out."""
    failed = shell.status != 0
    if step.jump >= 0:
        if not step.when or (step.when == "fail") == failed:
            shell.pc = step.jump
        return False
    return not ((step.link == "&&" and failed) or (step.link == "||" and not failed))


def terminate(shell: Shell, files: dict[str, str], write: Write) -> int | None:
    """Deliver SIGTERM; the exit code if the process ends now, else None."""
    if shell.on_term is None:
        return SIGTERM_EXIT
    if not shell.on_term:
        return None
    action = Shell(program=shell.on_term, status=SIGTERM_EXIT)  # `$?` as a trap sees it
    run(action, files, write, serving=False)
    return action.status if action.exited else None  # a trap that just finishes resumes the shell


def _output(step: Step, outcome: Outcome, files: dict[str, str], write: Write) -> None:
    """Truncate the `> FILE` targets (even without output), then route stdout and stderr."""
    for target, append in ((step.redirect, step.append), (step.stderr, step.stderr_append)):
        if target and target[0] != "&" and target != "/dev/null" and not append:
            files[target] = ""
    _route(step.redirect, "stdout", outcome.stdout, files, write)
    _route(step.stderr, "stderr", outcome.stderr, files, write)


def _route(target: str, stream: str, text: str, files: dict[str, str], write: Write) -> None:
    if not text or target == "/dev/null":
        return
    if not target or target[0] == "&":
        write({"&1": "stdout", "&2": "stderr"}.get(target, stream), text)
    else:
        files[target] = files.get(target, "") + text


class ExecOutcome(msgspec.Struct, frozen=True, gc=False):
    """An exec's result and how long it takes (`seconds`, infinite if it never ends)."""

    exit_code: int
    stdout: bytes
    stderr: bytes
    seconds: float


def run_exec(program: Program, files: dict[str, str]) -> ExecOutcome:
    """Run an exec command to its end, adding up its sleeps instead of waiting for them."""
    out: list[str] = []
    err: list[str] = []

    def write(stream: str, text: str) -> None:
        (out if stream == "stdout" else err).append(text)

    shell = Shell(program=program)
    seconds = 0.0
    while True:
        outcome = run(shell, files, write, serving=False)
        if outcome.kind is Kind.SLEEP:
            seconds += outcome.seconds
            continue
        if outcome.kind is Kind.FOREVER:
            seconds = float("inf")
        code = outcome.status if outcome.kind is Kind.EXIT else 0
        return ExecOutcome(
            exit_code=code, stdout="".join(out).encode(), stderr="".join(err).encode(), seconds=seconds
        )
