"""Compound commands of the fake shell: `if` and `while`/`until` loops, compiled to jump steps.

Contract: `compile_control(steps)` takes the flat steps of a script (a keyword is the first word of
its step) and returns the program with `if COND; then A; [elif COND; then B;] [else C;] fi` and
`while|until COND; do BODY; done` turned into jump steps (`Step.jump`), so the shell runs them with
its program counter. As in sh, an `if` whose branches were all skipped, and a loop, leave status
0. A misplaced or missing keyword raises `ScriptSyntaxError` with sh's wording (the caller turns it
into sh's exit 2). Constructs the fake does not interpret raise `UnsupportedScript`: `for`,
`case`, `select`, functions, `{ }` groups, `( )` subshells, `[[ ]]`, `!`, nested shells (`sh -c`
inside a script), variable assignments, a compound command after `&&`/`||`, or one whose
`fi`/`done` is redirected or backgrounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import msgspec

from kubelite.cri.fake.script import SHELLS, Program, Step, UnsupportedScript, command_name

_KEYWORDS = frozenset({"if", "then", "elif", "else", "fi", "while", "until", "do", "done"})
_UNSUPPORTED = {
    "for": "'for' loops",
    "case": "'case'",
    "esac": "'case'",
    "select": "'select'",
    "function": "functions",
    "{": "'{ }' groups",
    "}": "'{ }' groups",
    "[[": "'[[ ]]' tests",
    "!": "'!' negation",
}
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")


class ScriptSyntaxError(ValueError):
    """A script sh itself would reject; the message follows busybox sh's."""


@dataclass
class _Frame:
    kind: str  # "if", "while" or "until"
    stage: str = "cond"  # "cond", "body" or "else"
    start: int = 0
    cond_jump: int = -1
    ends: list[int] = field(default_factory=list)


def compile_control(flat: list[Step]) -> Program:
    """The program with `if` and loops compiled to jumps (see the module docstring)."""
    out: list[Step] = []
    stack: list[_Frame] = []
    for step in flat:
        word = step.argv[0]
        _check_supported(step, word)
        if word not in _KEYWORDS:
            out.append(step)
            continue
        if step.link != ";":
            raise UnsupportedScript(f"{word!r} after {step.link!r}")
        _keyword(word, out, stack)
        rest = step.argv[1:]
        if rest:
            out.append(msgspec.structs.replace(step, argv=rest))
        elif step.redirect or step.stderr or step.background:
            raise UnsupportedScript(f"redirecting or backgrounding {word!r}")
    if stack:
        expected = "fi" if stack[-1].kind == "if" else "done"
        raise ScriptSyntaxError(f'unexpected end of file (expecting "{expected}")')
    return tuple(out)


def _check_supported(step: Step, word: str) -> None:
    what = _UNSUPPORTED.get(word)
    if what is None and (word.startswith("(") or word.endswith(")")):
        what = "'( )' subshells and functions"
    if what is None and _ASSIGNMENT.match(word):
        what = f"variable assignments ({word!r})"
    if what is None and word == "export" and any("=" in arg for arg in step.argv[1:]):
        what = "variable assignments (export NAME=VALUE)"
    if what is None and command_name(step.argv) in SHELLS:
        what = f"nested shells ({command_name(step.argv)!r})"
    if what is not None:
        raise UnsupportedScript(what)


def _keyword(word: str, out: list[Step], stack: list[_Frame]) -> None:
    if word in ("if", "while", "until"):
        stack.append(_Frame(kind=word, start=len(out)))
        return
    top = stack[-1] if stack else None
    expected = {"then": "cond", "do": "cond", "elif": "body", "else": "body"}
    if top is None or not _fits(word, top, expected):
        raise ScriptSyntaxError(f'unexpected "{word}"')
    if word in ("then", "do"):
        top.cond_jump = _emit(out, "ok" if top.kind == "until" else "fail")
        top.stage = "body"
    elif word in ("elif", "else"):
        top.ends.append(_emit(out, ""))
        _patch(out, top.cond_jump, len(out))
        top.cond_jump, top.stage = -1, "cond" if word == "elif" else "else"
    else:  # fi, done
        stack.pop()
        _close(out, top)


def _fits(word: str, top: _Frame, expected: dict[str, str]) -> bool:
    in_if = top.kind == "if"
    if word in ("then", "elif", "else", "fi") and not in_if:
        return False
    if word in ("do", "done") and in_if:
        return False
    if word == "fi":
        return top.stage in ("body", "else")
    if word == "done":
        return top.stage == "body"
    return top.stage == expected[word]


def _close(out: list[Step], frame: _Frame) -> None:
    """`fi` or `done`: the skipped-branch / loop-exit path sets status 0, the others jump past."""
    if frame.kind == "if":
        if frame.cond_jump >= 0:  # no else: a false condition leaves status 0
            frame.ends.append(_emit(out, ""))
            _patch(out, frame.cond_jump, len(out))
            out.append(Step(argv=(":",)))
    else:
        _patch(out, _emit(out, ""), frame.start)
        _patch(out, frame.cond_jump, len(out))
        out.append(Step(argv=(":",)))
    for index in frame.ends:
        _patch(out, index, len(out))


def _emit(out: list[Step], when: str) -> int:
    out.append(Step(argv=(), jump=0, when=when))
    return len(out) - 1


def _patch(out: list[Step], index: int, target: int) -> None:
    out[index] = msgspec.structs.replace(out[index], jump=target)
