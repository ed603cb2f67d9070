"""The commands the fake runtime understands, one step at a time.

Contract: `evaluate(step, status, files, serving)` says what one simple command does, without any
clock: finish at once with a status and output (`true`, `:`, `false`, `echo [-n]`, `touch`, `rm`,
`cat`, `test` / `[ ... ]` with `-e -f -s -d -n -z` and `= != -eq -ne -lt -le -gt -ge`; `set`,
`export`, `cd`, `mkdir` and a few more succeed silently), sleep for some seconds (`sleep N[smhd]`,
summed), run forever (`sleep infinity`, an empty argv, or any other command), leave the shell
(`exit [N]`), or change the SIGTERM disposition (`trap ACTION TERM`: '' ignores, '-' restores the
default, anything else runs ACTION). `$?` in an argument is the last status. `files` is the
container's little filesystem (path → content), changed in place by `touch`, `rm` and redirected
output. With `serving=False` (exec) unknown commands and a bare `cat` succeed at once instead of
running forever. Output texts carry their newlines, as a real process writes them.
"""

from __future__ import annotations

import enum
import math

import msgspec

from kubelite.cri.fake.script import (
    Program,
    Step,
    UnsupportedScript,
    command_name,
    expand_status,
    parse_script,
)


class Kind(enum.IntEnum):
    DONE = 0
    SLEEP = 1
    FOREVER = 2
    EXIT = 3
    TRAP = 4


class Outcome(msgspec.Struct, frozen=True, gc=False):
    """What a step did. For TRAP, `trap` is the new SIGTERM action (None: default, (): ignore)."""

    kind: Kind
    status: int = 0
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    trap: Program | None = None


FOREVER = Outcome(kind=Kind.FOREVER)
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_TERM_NAMES = frozenset({"TERM", "SIGTERM", "15"})
_QUIET = frozenset(
    {"set", "export", "unset", "cd", "mkdir", "umask", "ulimit", "chmod", "chown", "wait", "sync"}
)
"""Commands that succeed at once without output (the fake has no directories or modes)."""


def evaluate(step: Step, status: int, files: dict[str, str], serving: bool) -> Outcome:
    """What `step` does, given the shell's last `status` and the container's `files`."""
    argv = expand_status(step.argv, status)
    name = command_name(argv)
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(argv[1:], status, files, serving)
    if name in _QUIET:
        return _done(0)
    return FOREVER if serving else Outcome(kind=Kind.DONE)


def _done(status: int = 0, stdout: str = "", stderr: str = "") -> Outcome:
    return Outcome(kind=Kind.DONE, status=status, stdout=stdout, stderr=stderr)


def _true(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    return _done(0)


def _false(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    return _done(1)


def _exit(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    if not args:
        return Outcome(kind=Kind.EXIT, status=status)
    try:
        return Outcome(kind=Kind.EXIT, status=int(args[0]) & 0xFF)
    except ValueError:
        return Outcome(kind=Kind.EXIT, status=2, stderr=f"sh: exit: Illegal number: {args[0]}\n")


def _echo(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    newline = "\n"
    while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
        newline = "" if "n" in args[0] else newline
        args = args[1:]
    return _done(0, " ".join(args) + newline)


def _sleep(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    total = 0.0
    for arg in args or ("",):
        seconds = _duration(arg)
        if seconds is None:
            return _done(1, stderr=f"sleep: invalid number '{arg}'\n")
        total += seconds
    if math.isinf(total):
        return FOREVER
    return Outcome(kind=Kind.SLEEP, seconds=total) if total > 0 else _done(0)


def _duration(text: str) -> float | None:
    if text in ("inf", "infinity"):
        return math.inf
    scale = _UNITS.get(text[-1:])
    number = text[:-1] if scale is not None else text
    try:
        value = float(number)
    except ValueError:
        return None
    return value * (scale or 1.0) if value >= 0 and math.isfinite(value) else None


def _touch(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    for path in args:
        if not path.startswith("-"):
            files.setdefault(path, "")
    return _done(0)


def _rm(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    force = any(arg.startswith("-") and "f" in arg for arg in args)
    errors = []
    for path in (arg for arg in args if not arg.startswith("-")):
        if files.pop(path, None) is None and not force:
            errors.append(f"rm: can't remove '{path}': No such file or directory\n")
    return _done(1 if errors else 0, stderr="".join(errors))


def _cat(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    paths = [arg for arg in args if not arg.startswith("-")]
    if not paths:
        return FOREVER if serving else _done(0)  # reads stdin, which never ends in a container
    missing = [path for path in paths if path not in files]
    stderr = "".join(f"cat: can't open '{path}': No such file or directory\n" for path in missing)
    return _done(1 if missing else 0, "".join(files.get(path, "") for path in paths), stderr)


def _test(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    if args and args[-1] == "]":
        args = args[:-1]
    negate = bool(args) and args[0] == "!"
    args = args[1:] if negate else args
    try:
        holds = _holds(args, files)
    except ValueError as err:
        return _done(2, stderr=f"sh: {err}\n")
    return _done(int(holds == negate))


_COMPARE = {
    "=": lambda a, b: a == b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_NUMERIC = {
    "-eq": lambda a, b: a == b,
    "-ne": lambda a, b: a != b,
    "-lt": lambda a, b: a < b,
    "-le": lambda a, b: a <= b,
    "-gt": lambda a, b: a > b,
    "-ge": lambda a, b: a >= b,
}


def _holds(args: tuple[str, ...], files: dict[str, str]) -> bool:
    """`test` with one expression: a string, `-n`/`-z`, `-e`/`-f`/`-s`/`-d`, or a comparison."""
    if len(args) <= 1:
        return bool(args and args[0])
    if len(args) == 2 and args[0] in ("-e", "-f", "-s", "-d"):
        return args[1] in files and (args[0] != "-s" or files[args[1]] != "")
    if len(args) == 2 and args[0] in ("-n", "-z"):
        return (args[1] != "") == (args[0] == "-n")
    if len(args) == 3 and args[1] in _COMPARE:
        return bool(_COMPARE[args[1]](args[0], args[2]))
    if len(args) == 3 and args[1] in _NUMERIC:
        try:
            return bool(_NUMERIC[args[1]](int(args[0]), int(args[2])))
        except ValueError:
            raise ValueError(f"test: bad number: {args[0]!r} or {args[2]!r}") from None
    raise ValueError(f"test: expression not supported by the fake runtime: {' '.join(args)}")


def _trap(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    if len(args) < 2 or not _TERM_NAMES.intersection(args[1:]):
        return _done(0)
    action = args[0]
    try:
        trap: Program | None = None if action == "-" else () if action == "" else parse_script(action)
    except UnsupportedScript as err:
        return _done(2, stderr=f"sh: trap: not supported by the fake runtime: {err}\n")
    return Outcome(kind=Kind.TRAP, trap=trap)


_HANDLERS = {
    "true": _true,
    ":": _true,
    "false": _false,
    "exit": _exit,
    "echo": _echo,
    "sleep": _sleep,
    "touch": _touch,
    "rm": _rm,
    "cat": _cat,
    "test": _test,
    "[": _test,
    "trap": _trap,
}
