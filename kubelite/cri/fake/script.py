"""Parsing of the tiny shell language the fake runtime interprets.

Contract: `parse_command(argv, env)` turns a container's argv (command then args) into a `Program`,
a tuple of `Step`s run in order. A plain argv is one step. `sh -c SCRIPT` (also `/bin/sh`, `bash`,
`ash`, and flags such as `-ec`) parses SCRIPT: lines and `;` separate steps, `&&` and `||` link a
step to the previous status (shell AND-OR lists, left to right), `&` runs a step in the background,
`|` discards the left side's output, `> FILE` / `>> FILE` redirect stdout, `2> FILE`, `2>> FILE`,
`2>&1`, `>&2` (`1>&2`) and `&> FILE` route stdout and stderr (in order, as sh does; `/dev/null`
discards), `< FILE` is dropped, `$NAME` and `${NAME}` expand from `env` outside single quotes,
`$?` expands when its step runs to the status of the last command, and a leading `exec` is
dropped. `if`/`elif`/`else`/`fi` and `while`/`until ... do ... done` compile to jump steps
(`kubelite.cri.fake.control`). An empty argv is the image's default process.
A script sh could not parse (unbalanced quotes, an `if` without `fi`) becomes a program that writes
sh's syntax error to stderr and exits 2, as sh does. Syntax the fake cannot interpret (`for`,
`case`, functions, subshells, command substitution, here-documents, variable assignments, `!`,
nested shells, `${NAME:-x}`-style expansions, `$$`, `$@` and other special parameters) raises
`UnsupportedScript` with a message naming it, so a container never silently runs something else.
Results are cached: equal inputs give the same (immutable) program.
"""

from __future__ import annotations

import functools
import re
import shlex

import msgspec

SHELLS = frozenset({"sh", "bash", "ash", "dash"})
STATUS_MARK = "\x1f?"
"""What `$?` becomes in a parsed word; `expand_status` substitutes the status when the step runs."""

_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")
_UNEXPANDED = re.compile(r"\$\{[^}]*\}?|\$[@*#!$-]")
"""What is left after `_VARIABLE` that sh would expand: `${NAME:-x}`-style operators, `$$`, `$@`…"""
_SINGLE_QUOTED = re.compile(r"('[^']*')")
_QUOTED = re.compile(r"('[^']*'|\"(?:\\.|[^\"\\])*\")")
_FD_REDIRECT = re.compile(r"(?<![^\s;&|])([12])(>>|>&|>)")
_FD_MARK = "\x02"
_REJECTED = (("$(", "command substitution"), ("`", "command substitution"), ("<<", "here-documents"))
_SEPARATORS = frozenset({";", "&&", "||", "&", "|", ";;"})


class UnsupportedScript(ValueError):
    """The script uses shell syntax the fake runtime does not interpret."""


class Step(msgspec.Struct, frozen=True, gc=False):
    """One simple command, or a jump (empty argv, `jump` ≥ 0).

    `link` is how it joins the previous step: ";", "&&" or "||". Output targets: "" is the step's
    own log stream, "&1" the stdout log stream, "&2" the stderr one, "/dev/null" nowhere, anything
    else a file (truncated before the step runs unless appending). A jump goes to step `jump`
    always (`when` ""), when the last status is non-zero ("fail") or zero ("ok")."""

    argv: tuple[str, ...]
    link: str = ";"
    redirect: str = ""
    append: bool = False
    background: bool = False
    stderr: str = ""
    stderr_append: bool = False
    jump: int = -1
    when: str = ""


Program = tuple[Step, ...]


def syntax_error(message: str) -> Program:
    """What sh does with a script it cannot parse: the message on stderr, exit status 2."""
    return (Step(argv=("echo", f"sh: syntax error: {message}"), redirect="&2"), Step(argv=("exit", "2")))


def command_name(argv: tuple[str, ...]) -> str:
    """The program's base name (`/bin/sleep` → `sleep`); "" for an empty argv."""
    return argv[0].rsplit("/", 1)[-1] if argv else ""


def expand_status(argv: tuple[str, ...], status: int) -> tuple[str, ...]:
    """`argv` with each `$?` replaced by `status`."""
    if not any(STATUS_MARK in word for word in argv):
        return argv
    return tuple(word.replace(STATUS_MARK, str(status)) for word in argv)


@functools.lru_cache(maxsize=4096)
def parse_command(argv: tuple[str, ...], env: tuple[tuple[str, str], ...] = ()) -> Program:
    """The program a container (or exec) with this argv runs."""
    while argv and argv[0] == "exec":
        argv = argv[1:]
    if command_name(argv) in SHELLS and len(argv) >= 3 and argv[1].startswith("-") and "c" in argv[1]:
        return parse_script(argv[2], env)
    return (Step(argv=argv),)


@functools.lru_cache(maxsize=4096)
def parse_script(text: str, env: tuple[tuple[str, str], ...] = ()) -> Program:
    """The steps of a `sh -c` script; raises `UnsupportedScript` (see the module docstring)."""
    from kubelite.cri.fake.control import ScriptSyntaxError, compile_control

    steps: list[Step] = []
    for line in _prepare(_expand(text, dict(env))).splitlines():
        try:
            tokens = _tokens(line)
        except ValueError:
            return syntax_error("unterminated quoted string")
        steps.extend(_steps(tokens))
    try:
        return compile_control(steps)
    except ScriptSyntaxError as err:
        return syntax_error(str(err))


def _expand(text: str, env: dict[str, str]) -> str:
    """Substitute `$NAME` / `${NAME}` outside single quotes (unknown names expand to nothing) and
    mark `$?` for substitution at run time."""
    if "$" not in text:
        return text
    parts = _SINGLE_QUOTED.split(text)
    for index in range(0, len(parts), 2):
        part = parts[index].replace("$?", STATUS_MARK)
        parts[index] = _VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), part)
        left = _UNEXPANDED.search(_VARIABLE.sub("", part))
        if left is not None:
            what = "parameter expansion" if left.group().startswith("${") else "special parameters"
            raise UnsupportedScript(f"{what} ({left.group()!r})")
    return "".join(parts)


def _prepare(text: str) -> str:
    """Reject what the fake cannot interpret, and mark `N>` redirections (outside quotes) so the
    tokenizer keeps the descriptor with its operator."""
    parts = _QUOTED.split(text)
    for index in range(0, len(parts), 2):
        part = parts[index]
        for needle, what in _REJECTED:
            if needle in part:
                raise UnsupportedScript(f"{what} ({needle!r})")
        parts[index] = _FD_REDIRECT.sub(lambda m: f" {_FD_MARK}{m.group(1)}{m.group(2)} ", part)
    return "".join(parts)


def _tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return _join_marks(list(lexer))


def _join_marks(tokens: list[str]) -> list[str]:
    """shlex splits a marked `2>&` into the mark and the operator: put them back together."""
    joined: list[str] = []
    for token in tokens:
        if joined and joined[-1].startswith(_FD_MARK) and len(joined[-1]) == 2:
            joined[-1] += token
        else:
            joined.append(token)
    return joined


class _Redirections:
    """The output targets of the step being read, applied left to right as sh does."""

    def __init__(self) -> None:
        self.stdout, self.append, self.stderr, self.stderr_append = "", False, "", False

    def apply(self, operator: str, target: str) -> None:
        fd, op = (operator[1], operator[2:]) if operator.startswith(_FD_MARK) else ("1", operator)
        if op == ">&":
            self._duplicate(fd, target)
        elif op == "&>":
            self.stdout, self.append, self.stderr, self.stderr_append = target, False, target, True
        elif fd == "1":
            self.stdout, self.append = target, op == ">>"
        else:
            self.stderr, self.stderr_append = target, op == ">>"

    def into_pipe(self) -> None:
        """`|`: what goes to stdout (and `2>&1`'s stderr) feeds the next command, and is discarded."""
        if not self.stdout:
            self.stdout = "/dev/null"
        if self.stderr == "&1":
            self.stderr = "/dev/null"

    def _duplicate(self, fd: str, target: str) -> None:
        if target not in ("1", "2"):
            raise UnsupportedScript(f"redirection to file descriptor {target}")
        if fd == "2" and target == "1":
            self.stderr = self.stdout or "&1"
            self.stderr_append = True
        elif fd == "1" and target == "2":
            self.stdout = self.stderr or "&2"
            self.append = True


_REDIRECTS = frozenset({">", ">>", ">&", "&>"})


def _steps(tokens: list[str]) -> list[Step]:
    """Group tokens into steps at the separators; attach redirections and background marks."""
    steps: list[Step] = []
    words: list[str] = []
    link = ";"
    redirections = _Redirections()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if (token in _REDIRECTS or token.startswith(_FD_MARK)) and index < len(tokens):
            redirections.apply(token, tokens[index])
            index += 1
        elif token == "<" and index < len(tokens):
            index += 1  # input redirection: the fake's processes read no stdin
        elif token in _SEPARATORS:
            if token == "|":
                redirections.into_pipe()
            _close(steps, words, link, redirections, background=token == "&")
            words, redirections = [], _Redirections()
            link = token if token in ("&&", "||") else ";"
        else:
            words.append(token)
    _close(steps, words, link, redirections, background=False)
    return steps


def _close(steps: list[Step], words: list[str], link: str, out: _Redirections, *, background: bool) -> None:
    argv = tuple(words)
    while argv and argv[0] == "exec":
        argv = argv[1:]
    if argv:
        steps.append(
            Step(
                argv=argv,
                link=link,
                redirect=out.stdout,
                append=out.append,
                background=background,
                stderr=out.stderr,
                stderr_append=out.stderr_append,
            )
        )
