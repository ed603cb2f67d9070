"""Small helpers shared by the per-kind validators.

- `shown(value)` prepares a bad value for a `FieldError`: scalars stay as they are (rendered like
  Go's `%v`/`%q` by `kubelite.api.errors`), composite values (dicts, lists, Structs) are rendered as
  compact JSON, as Kubernetes ≥ 1.34 does (map keys sorted, as Go's encoder sorts them).
- `nonnegative`, `immutable`, `not_found`, `messages` build the errors Kubernetes builds with
  `ValidateNonnegativeField`, `ValidateImmutableField`, `field.NotFound` and "one `Invalid` per
  problem".
- `in_go_range(value, path, bits)`: a number a Go `int32`/`int64` field could not hold (such a
  request never reaches upstream's validation: its decoder refuses it) is `Invalid`, "must be less
  than or equal to 2147483647" (or "greater than or equal to" the minimum).
- `go_strings` renders a list of strings as Go's `%#v` does (`[]string{"a", "b"}`).

Pure functions; nothing here keeps state.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec

from kubelite.api.errors import FieldError, invalid

IMMUTABLE = "field is immutable"
NEGATIVE = "must be greater than or equal to 0"
INVALID_IP = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A composite bad value, already rendered; `str()` gives the text shown in the message."""

    text: str

    def __str__(self) -> str:
        return self.text


def shown(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | Rendered):
        return value
    if isinstance(value, dict | list) and not value:
        return Rendered("null")  # an absent map or list is Go's nil
    return Rendered(msgspec.json.encode(value, order="deterministic").decode())  # Go sorts map keys


def messages(value: Any, path: str, problems: Iterable[str]) -> list[FieldError]:
    """One `Invalid` error per problem reported by a `names.is_*` check."""
    return [invalid(shown(value), path, problem) for problem in problems]


def in_go_range(value: int | None, path: str, bits: int = 32) -> list[FieldError]:
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if value is None or low <= value <= high:
        return []
    if value > high:
        return [invalid(value, path, f"must be less than or equal to {high}")]
    return [invalid(value, path, f"must be greater than or equal to {low}")]


def nonnegative(value: int | None, path: str) -> list[FieldError]:
    return [invalid(value, path, NEGATIVE)] if value is not None and value < 0 else []


def immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    return [] if new == old else [invalid(shown(new), path, IMMUTABLE)]


def not_found(value: Any, path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueNotFound", path, detail, shown(value))


def go_strings(values: Iterable[str]) -> str:
    inner = ", ".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values)
    return "[]string{" + inner + "}"


def valid_ip(value: str, path: str) -> list[FieldError]:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return [invalid(value, path, INVALID_IP)]
    return []


def int_or_percent(value: int | str) -> int | None:
    """The number in an int-or-percent value (`5` or `"5%"`), None if it is malformed."""
    if isinstance(value, int):
        return value
    if value.endswith("%") and value[:-1].isdigit() and value[:-1].isascii():
        return int(value[:-1])
    return None
