"""The commands the fake runtime understands, one step at a time.

Contract: `evaluate(step, status, files, serving)` says what one simple command does, without any
clock: finish at once with a status and output (`true`, `:`, `false`, `echo [-n]`, `touch`, `rm`,
`cat`, `test -e|-f` / `[ ... ]`), sleep for some seconds (`sleep N[smhd]`, summed), run forever
(`sleep infinity`, an empty argv, or any other command), leave the shell (`exit [N]`), or change
the SIGTERM disposition (`trap ACTION TERM`: '' ignores, '-' restores the default, anything else
runs ACTION). `files` is the container's little filesystem (path → content), changed in place by
`touch`, `rm` and redirected output. With `serving=False` (exec) unknown commands and a bare `cat`
succeed at once instead of running forever. Output texts carry their newlines, as a real process
writes them.
"""

from __future__ import annotations

import enum
import math

import msgspec

from kubelite.cri.fake.script import Program, Step, command_name, parse_script


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


def evaluate(step: Step, status: int, files: dict[str, str], serving: bool) -> Outcome:
    """What `step` does, given the shell's last `status` and the container's `files`."""
    name = command_name(step.argv)
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(step.argv[1:], status, files, serving)
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
    if len(args) == 2 and args[0] in ("-e", "-f", "-s"):
        exists = args[1] in files and (args[0] != "-s" or files[args[1]] != "")
        return _done(int(exists == negate))
    return _done(0)


def _trap(args: tuple[str, ...], status: int, files: dict[str, str], serving: bool) -> Outcome:
    if len(args) < 2 or not _TERM_NAMES.intersection(args[1:]):
        return _done(0)
    action = args[0]
    trap: Program | None = None if action == "-" else () if action == "" else parse_script(action)
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
