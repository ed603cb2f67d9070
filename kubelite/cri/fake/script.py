"""Parsing of the tiny shell language the fake runtime interprets.

Contract: `parse_command(argv, env)` turns a container's argv (command then args) into a `Program`,
a tuple of `Step`s run in order. A plain argv is one step. `sh -c SCRIPT` (also `/bin/sh`, `bash`,
`ash`, and flags such as `-ec`) parses SCRIPT: lines and `;` separate steps, `&&` and `||` link a
step to the previous status (shell AND-OR lists, left to right), `&` runs a step in the background,
`|` discards the left side's output, `> FILE` / `>> FILE` redirect stdout (`>&N` and `< FILE`
are dropped), `$NAME` and `${NAME}` expand
from `env` outside single quotes, and a leading `exec` is dropped. An empty argv is the image's
default process. A script shlex cannot split (unbalanced quotes) becomes `exit 2`, as sh reports a
syntax error. Results are cached: equal inputs give the same (immutable) program.
"""

from __future__ import annotations

import functools
import re
import shlex

import msgspec

SHELLS = frozenset({"sh", "bash", "ash", "dash"})
_VARIABLE = re.compile(r"\$\{(\w+)\}|\$(\w+)")
_QUOTED = re.compile(r"('[^']*')")
_SEPARATORS = frozenset({";", "&&", "||", "&", "|", ";;"})


class Step(msgspec.Struct, frozen=True, gc=False):
    """One simple command. `link` is how it joins the previous step: ";", "&&" or "||"."""

    argv: tuple[str, ...]
    link: str = ";"
    redirect: str = ""
    append: bool = False
    background: bool = False


Program = tuple[Step, ...]

SYNTAX_ERROR: Program = (Step(argv=("exit", "2")),)


def command_name(argv: tuple[str, ...]) -> str:
    """The program's base name (`/bin/sleep` → `sleep`); "" for an empty argv."""
    return argv[0].rsplit("/", 1)[-1] if argv else ""


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
    """The steps of a `sh -c` script."""
    steps: list[Step] = []
    for line in _expand(text, dict(env)).splitlines():
        try:
            tokens = _tokens(line)
        except ValueError:
            return SYNTAX_ERROR
        steps.extend(_steps(tokens))
    return tuple(steps)


def _expand(text: str, env: dict[str, str]) -> str:
    """Substitute `$NAME` / `${NAME}` outside single quotes (unknown names expand to nothing)."""
    if "$" not in text:
        return text
    parts = _QUOTED.split(text)
    for index in range(0, len(parts), 2):
        parts[index] = _VARIABLE.sub(lambda m: env.get(m.group(1) or m.group(2), ""), parts[index])
    return "".join(parts)


def _tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def _steps(tokens: list[str]) -> list[Step]:
    """Group tokens into steps at the separators; attach redirections and background marks."""
    steps: list[Step] = []
    words: list[str] = []
    link = ";"
    redirect, append = "", False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token in (">", ">>") and index < len(tokens):
            redirect, append = tokens[index], token == ">>"
            index += 1
        elif token in (">&", "<", "<<", "2>") and index < len(tokens):
            index += 1  # fd duplication and input redirection: the fake has no stdin or stderr routing
        elif token in _SEPARATORS:
            if token == "|" and not redirect:
                redirect = "/dev/null"
            _close(steps, words, link, redirect, append, background=token == "&")
            words, redirect, append = [], "", False
            link = token if token in ("&&", "||") else ";"
        else:
            words.append(token)
    _close(steps, words, link, redirect, append, background=False)
    return steps


def _close(
    steps: list[Step], words: list[str], link: str, redirect: str, append: bool, *, background: bool
) -> None:
    argv = tuple(words)
    while argv and argv[0] == "exec":
        argv = argv[1:]
    if argv:
        steps.append(Step(argv=argv, link=link, redirect=redirect, append=append, background=background))
