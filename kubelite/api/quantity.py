"""Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1e3`), exact and immutable.

`parse_quantity(text)` accepts what Kubernetes' `resource.ParseQuantity` accepts: an optional
sign, a decimal number (`1`, `1.5`, `.5`, `1.`), and a suffix that is decimal SI (`n u m k M G T
P E`), binary SI (`Ki Mi Gi Ti Pi Ei`) or a decimal exponent (`e3`, `E-2`). Malformed text raises
`ValueError` with Kubernetes' message (the regular-expression one, or "unable to parse quantity's
suffix" for a well-formed but unknown suffix).

A `Quantity` holds its value as an integer count of nano-units, so arithmetic is exact (no floats
anywhere). As in Kubernetes, parsing rounds a finer non-zero value away from zero to the next
nano-unit (`0.1n` is `1n`) and caps binary-SI values at 2^63-1. Equality, hashing and ordering
use the value only (`1Ki == 1024`); the format (DecimalSI, BinarySI, DecimalExponent) only decides
how `str()` renders it, in Kubernetes' canonical form: the largest suffix that loses nothing and
leaves no fraction (`1.5` → `1500m`, `1.5Gi` → `1536Mi`, `0.5` → `500m`). Where Kubernetes keeps
the text it parsed verbatim (e.g. `+1`, `1.500`), `str()` does too.

`a + b` and `a - b` take the format of `a`, or of `b` when `a` is zero (Kubernetes' `Add`/`Sub`).
`value()` and `milli_value()` round away from zero to an integer, as Kubernetes' `Value` and
`MilliValue` do for the common int64-backed quantities; `int()` truncates toward zero.

Parsing is a pure function of the text and results are immutable, so `parse_quantity` keeps a
small LRU cache; the scheduler parses the same few strings over and over.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

DECIMAL_SI = "DecimalSI"
BINARY_SI = "BinarySI"
DECIMAL_EXPONENT = "DecimalExponent"

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_ERROR = "unable to parse quantity's suffix"
NUMERIC_ERROR = "unable to parse numeric part of quantity"

NANO = 10**9
_MAX_INT64 = 2**63 - 1
_MAX_BINARY_NANOS = _MAX_INT64 * NANO
_MAX_DIGITS = 4000  # beyond this the number is rejected instead of growing without bound

_DECIMAL_SUFFIXES = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_NAMES = {exponent: name for name, exponent in _DECIMAL_SUFFIXES.items()}
_BINARY_NAMES = {exponent // 10: name for name, exponent in _BINARY_SUFFIXES.items()}

# sign, number without its leading zeros, fraction, suffix: the shape Kubernetes' scanner accepts.
_SYNTAX = re.compile(r"([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)")
_INT64_TEXT = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Quantity:
    """An exact quantity: `nanos` nano-units, rendered in `format`; compare by value only."""

    nanos: int
    format: str = DECIMAL_SI
    text: str = ""
    """The parsed text when Kubernetes would print it unchanged; empty otherwise."""

    @staticmethod
    def from_int(value: int, format: str = DECIMAL_SI) -> Quantity:
        return Quantity(value * NANO, format)

    @staticmethod
    def from_milli(value: int, format: str = DECIMAL_SI) -> Quantity:
        return Quantity(value * 10**6, format)

    def value(self) -> int:
        """The value rounded away from zero to an integer (Kubernetes' `Value`)."""
        return _round_away(self.nanos, NANO)

    def milli_value(self) -> int:
        """The value in thousandths, rounded away from zero (Kubernetes' `MilliValue`)."""
        return _round_away(self.nanos, 10**6)

    def is_zero(self) -> bool:
        return self.nanos == 0

    def __int__(self) -> int:
        whole = abs(self.nanos) // NANO
        return -whole if self.nanos < 0 else whole

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.nanos + other.nanos, other.format if self.nanos == 0 else self.format)

    def __sub__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        return Quantity(self.nanos - other.nanos, other.format if self.nanos == 0 else self.format)

    def __neg__(self) -> Quantity:
        return Quantity(-self.nanos, self.format)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.nanos == other.nanos

    def __hash__(self) -> int:
        return hash(self.nanos)

    def __lt__(self, other: Quantity) -> bool:
        return self.nanos < other.nanos if isinstance(other, Quantity) else NotImplemented

    def __le__(self, other: Quantity) -> bool:
        return self.nanos <= other.nanos if isinstance(other, Quantity) else NotImplemented

    def __gt__(self, other: Quantity) -> bool:
        return self.nanos > other.nanos if isinstance(other, Quantity) else NotImplemented

    def __ge__(self, other: Quantity) -> bool:
        return self.nanos >= other.nanos if isinstance(other, Quantity) else NotImplemented

    def __str__(self) -> str:
        return self.text or canonical(self.nanos, self.format)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"


def _round_away(nanos: int, unit: int) -> int:
    whole, rest = divmod(abs(nanos), unit)
    whole += 1 if rest else 0
    return -whole if nanos < 0 else whole


@functools.lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Quantity:
    """Parse a Kubernetes quantity string; `ValueError` with Kubernetes' message if malformed."""
    if text == "0":
        return Quantity(0, DECIMAL_SI, "0")
    match = _SYNTAX.fullmatch(text)
    if not text or match is None:
        raise ValueError(FORMAT_ERROR)
    sign, whole, fraction, suffix = match.groups()
    whole, fraction = whole or "0", fraction or ""
    format, exponent = _interpret(suffix)
    if len(whole) + len(fraction) > _MAX_DIGITS or exponent > _MAX_DIGITS:
        raise ValueError(NUMERIC_ERROR)
    kept = text if _keeps_text(whole, fraction, format, exponent) else ""
    nanos = _nanos(whole + fraction, len(fraction), format, exponent)
    if format == BINARY_SI and 0 < nanos < NANO:
        format = DECIMAL_SI  # a fraction of one cannot be shown in binary units
    return Quantity(-nanos if sign == "-" else nanos, format, kept)


def _interpret(suffix: str) -> tuple[str, int]:
    """(format, exponent) of a suffix: a power of ten, or of two for binary SI."""
    if suffix in _DECIMAL_SUFFIXES:
        return DECIMAL_SI, _DECIMAL_SUFFIXES[suffix]
    if suffix in _BINARY_SUFFIXES:
        return BINARY_SI, _BINARY_SUFFIXES[suffix]
    if len(suffix) > 1 and suffix[0] in "eE" and _INT64_TEXT.fullmatch(suffix[1:]):
        exponent = int(suffix[1:])
        if -(2**63) <= exponent <= _MAX_INT64:
            return DECIMAL_EXPONENT, (exponent + 2**31) % 2**32 - 2**31  # Go's int32 conversion
    raise ValueError(SUFFIX_ERROR)


def _nanos(text: str, decimals: int, format: str, exponent: int) -> int:
    """|value| in nano-units (`text` holds all digits), rounded away from zero."""
    digits = int(text)
    if format == BINARY_SI:
        return min(_ceil_div(digits * 2**exponent * NANO, 10**decimals), _MAX_BINARY_NANOS)
    shift = exponent - decimals + 9
    if shift >= 0:
        return digits * int(10**shift)
    if -shift > len(text):
        return 1 if digits else 0  # less than one nano-unit: rounds up to one
    return _ceil_div(digits, 10**-shift)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _keeps_text(whole: str, fraction: str, format: str, exponent: int) -> bool:
    """Whether Kubernetes' fast int64 path keeps the parsed string as the printed form."""
    if format == BINARY_SI:
        if fraction or 14 - len(whole) - exponent * 3 // 10 < 0:
            return False
        value = int(whole)
        return value << exponent <= _MAX_INT64 and value % 8 != 0
    digits = whole + fraction
    scale = exponent - len(fraction)
    if len(digits) > 18 or scale < -9:
        return False
    return scale % 3 == 0 and not digits.endswith("000") and digits[0] != "0"


def canonical(nanos: int, format: str) -> str:
    """Kubernetes' canonical text for a value in a format (see the module docstring)."""
    if nanos == 0:
        return "0"
    if format == BINARY_SI:
        if abs(nanos) >= 1024 * NANO and nanos % NANO == 0:
            return _binary_text(nanos // NANO)
        format = DECIMAL_SI
    sign = "-" if nanos < 0 else ""
    digits = str(abs(nanos))
    mantissa = digits.rstrip("0")
    exponent = len(digits) - len(mantissa) - 9
    padding = exponent % 3  # lower the exponent to a multiple of three
    mantissa += "0" * padding
    exponent -= padding
    if format == DECIMAL_SI and exponent in _DECIMAL_NAMES:
        return f"{sign}{mantissa}{_DECIMAL_NAMES[exponent]}"
    return f"{sign}{mantissa}e{exponent}" if exponent else f"{sign}{mantissa}"


def _binary_text(value: int) -> str:
    magnitude, power = abs(value), 0
    while magnitude % 1024 == 0 and power < 6:
        magnitude //= 1024
        power += 1
    sign = "-" if value < 0 else ""
    return f"{sign}{magnitude}{_BINARY_NAMES.get(power, '')}"
