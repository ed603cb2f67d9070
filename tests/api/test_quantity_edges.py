"""Quantities (Kubernetes `resource.Quantity` semantics) at the edges the parse tables leave open:
ordering by value with equal values on both sides, comparison with something that is not a
quantity, and `from_milli` keeping the format it is given."""

from __future__ import annotations

import pytest

from kubelite.api.quantity import BINARY_SI, NANO, Quantity, parse_quantity


@pytest.mark.parametrize(
    ("left", "right", "lt", "le", "gt", "ge"),
    [
        ("1Ki", "1024", False, True, False, True),
        ("999m", "1", True, True, False, False),
        ("1.5Gi", "1536Mi", False, True, False, True),
        ("2", "1999m", False, False, True, True),
    ],
    ids=["equal-across-formats", "smaller", "equal-binary", "larger"],
)
def test_quantities_order_by_value(left: str, right: str, lt: bool, le: bool, gt: bool, ge: bool) -> None:
    a, b = parse_quantity(left), parse_quantity(right)
    assert (a < b, a <= b, a > b, a >= b) == (lt, le, gt, ge)


def test_a_quantity_does_not_order_against_a_number() -> None:
    one = parse_quantity("1")
    for compare in (one.__lt__, one.__le__, one.__gt__, one.__ge__):
        assert compare(1) is NotImplemented  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        one < 1  # type: ignore[operator]  # noqa: B015


def test_from_milli_keeps_the_format_it_is_given() -> None:
    quantity = Quantity.from_milli(1536 * 1024 * 1024 * 1000, BINARY_SI)
    assert (quantity.format, str(quantity)) == (BINARY_SI, "1536Mi")
    assert str(Quantity.from_milli(1500)) == "1500m"


@pytest.mark.parametrize(
    ("text", "printed", "nanos"),
    [
        ("0.0000000000000", "0", 0),
        ("0.00000000000001", "1n", 1),
        ("1e9223372036854775807", "100e-3", 10**8),
        ("1e-9223372036854775808", "1e-9223372036854775808", NANO),
        ("1e4294967296", "1e4294967296", NANO),
        ("1e2147483648", "1e-9", 1),
    ],
    ids=["zero-fraction", "tiny-rounds-up", "max-int64-exponent", "min-int64-exponent", "2^32", "2^31"],
)
def test_exponents_are_int64_then_truncated_to_int32_as_in_go(text: str, printed: str, nanos: int) -> None:
    """`resource.ParseQuantity` reads an `e` exponent as an int64 and keeps `int32(exponent)`."""
    quantity = parse_quantity(text)
    assert (str(quantity), quantity.nanos) == (printed, nanos)


@pytest.mark.parametrize("text", ["1e9223372036854775808", "1e-9223372036854775809"])
def test_an_exponent_outside_int64_is_an_unknown_suffix(text: str) -> None:
    with pytest.raises(ValueError, match=r"^unable to parse quantity.s suffix$"):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("+10000000001Ki", "+10000000001Ki"),
        ("+100000000001Ki", "100000000001Ki"),
        ("+10000001Mi", "+10000001Mi"),
        ("+100000001Mi", "100000001Mi"),
        ("+10001Gi", "+10001Gi"),
        ("+100001Gi", "100001Gi"),
        ("+123456789012345678", "+123456789012345678"),
        ("+1234567890123456789", "1234567890123456789"),
        ("+1.000000001", "+1.000000001"),
        ("+1.0000000001", "1000000001n"),
    ],
    ids=["ki-11-digits", "ki-12", "mi-8", "mi-9", "gi-5", "gi-6", "18-digits", "19", "nano-scale", "finer"],
)
def test_the_parsed_text_is_kept_only_within_the_int64_fast_path(text: str, printed: str) -> None:
    """Kubernetes prints a quantity as it was written (`+` included) only when its int64 fast path
    parsed it: short enough for int64 and no finer than a nano-unit; otherwise canonically."""
    assert str(parse_quantity(text)) == printed


@pytest.mark.parametrize(("text", "nanos"), [("0e-20", 0), ("1e-20", 1), ("-1e-20", -1)])
def test_a_value_below_one_nano_unit_rounds_away_from_zero_unless_it_is_zero(text: str, nanos: int) -> None:
    assert parse_quantity(text).nanos == nanos
