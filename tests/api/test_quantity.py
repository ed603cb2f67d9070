"""Resource quantities: parsing, exact values, Kubernetes' canonical strings, arithmetic."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kubelite.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    NANO,
    Quantity,
    parse_quantity,
)

FORMAT_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
SUFFIX_MESSAGE = "unable to parse quantity's suffix"
MI = 1024 * 1024


@pytest.mark.parametrize(
    ("text", "nanos", "format"),
    [
        ("0", 0, DECIMAL_SI),
        ("1", NANO, DECIMAL_SI),
        ("100m", NANO // 10, DECIMAL_SI),
        ("0.1", NANO // 10, DECIMAL_SI),
        ("5n", 5, DECIMAL_SI),
        ("4u", 4000, DECIMAL_SI),
        ("8k", 8000 * NANO, DECIMAL_SI),
        ("7M", 7 * 10**6 * NANO, DECIMAL_SI),
        ("6G", 6 * 10**9 * NANO, DECIMAL_SI),
        ("5T", 5 * 10**12 * NANO, DECIMAL_SI),
        ("2P", 2 * 10**15 * NANO, DECIMAL_SI),
        ("1E", 10**18 * NANO, DECIMAL_SI),
        ("1Ki", 1024 * NANO, BINARY_SI),
        ("7Mi", 7 * MI * NANO, BINARY_SI),
        ("6Gi", 6 * 1024**3 * NANO, BINARY_SI),
        ("3Ei", 3 * 1024**6 * NANO, BINARY_SI),
        ("1e3", 1000 * NANO, DECIMAL_EXPONENT),
        ("1E-3", NANO // 1000, DECIMAL_EXPONENT),
        ("1.3E+6", 1_300_000 * NANO, DECIMAL_EXPONENT),
        ("100.035k", 100_035 * NANO, DECIMAL_SI),
        ("0.5Mi", MI // 2 * NANO, BINARY_SI),
        ("-1.5", -3 * NANO // 2, DECIMAL_SI),
        ("+1", NANO, DECIMAL_SI),
        (".5", NANO // 2, DECIMAL_SI),
        ("1.", NANO, DECIMAL_SI),
        ("1.G", 10**9 * NANO, DECIMAL_SI),
        ("3.001n", 4, DECIMAL_SI),
        ("0.9n", 1, DECIMAL_SI),
        ("1.1E-9", 2, DECIMAL_EXPONENT),
        ("0.00000012345", 124, DECIMAL_SI),
        ("-0.9n", -1, DECIMAL_SI),
        ("0.000000000001Ki", 2, DECIMAL_SI),
        ("9Ei", (2**63 - 1) * NANO, BINARY_SI),
        ("1e-2000000000", 1, DECIMAL_EXPONENT),
    ],
    ids=lambda value: str(value),
)
def test_parse_values_are_exact(text: str, nanos: int, format: str) -> None:
    quantity = parse_quantity(text)
    assert quantity.nanos == nanos
    assert quantity.format == format


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("100m", "100m"),
        ("0.1", "100m"),
        ("1", "1"),
        ("1000m", "1"),
        ("0.5", "500m"),
        ("1500m", "1500m"),
        ("1.5", "1500m"),
        ("1.08", "1080m"),
        ("1080000000n", "1080m"),
        ("1000u", "1m"),
        ("1000", "1k"),
        ("1000M", "1G"),
        ("0.001T", "1G"),
        ("128Mi", "128Mi"),
        ("1Gi", "1Gi"),
        ("1024Mi", "1Gi"),
        ("307200Ki", "300Mi"),
        ("1.5Gi", "1536Mi"),
        ("1025024Mi", "1001Gi"),
        ("5000m", "5"),
        ("1025", "1025"),
        (".001Ki", "1024m"),
        (".000000000001Ki", "2n"),
        ("100.035Ki", "102435840m"),
        ("1e3", "1e3"),
        ("1.5e3", "1500"),
        (".001e12", "1e9"),
        ("0.001e0", "1e-3"),
        ("1000e-12", "1e-9"),
        ("129e6", "129e6"),
        ("128974848", "128974848"),
        ("1000E", "1e21"),
        ("5000E", "5e21"),
        ("0Gi", "0"),
        ("-0", "0"),
        ("00", "0"),
        ("-1.5", "-1500m"),
        ("-1024Mi", "-1Gi"),
        ("+1", "+1"),
        ("1.500", "1.500"),
        ("01Ki", "01Ki"),
        ("8Ei", "9223372036854775807"),
    ],
    ids=lambda value: str(value),
)
def test_canonical_strings_follow_kubernetes(text: str, canonical: str) -> None:
    quantity = parse_quantity(text)
    assert str(quantity) == canonical
    assert parse_quantity(canonical) == quantity


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", FORMAT_MESSAGE),
        ("aoeu", FORMAT_MESSAGE),
        ("1.1.M", FORMAT_MESSAGE),
        ("1+1.0M", FORMAT_MESSAGE),
        ("0.1am", FORMAT_MESSAGE),
        ("1Zi", FORMAT_MESSAGE),
        (" 1", FORMAT_MESSAGE),
        ("1 ", FORMAT_MESSAGE),
        ("0.1mi", SUFFIX_MESSAGE),
        (".5i", SUFFIX_MESSAGE),
        ("1i", SUFFIX_MESSAGE),
        ("-3.01i", SUFFIX_MESSAGE),
        ("-3.01e-", SUFFIX_MESSAGE),
        ("1Mk", SUFFIX_MESSAGE),
        ("1e", SUFFIX_MESSAGE),
    ],
    ids=lambda value: repr(value),
)
def test_invalid_quantities_raise_kubernetes_messages(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_quantity(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("0.1", "100m"),
        ("128974848", "123Mi"),
        ("129e6", "129M"),
        ("1Ki", "1024"),
        ("1e3", "1k"),
        ("1G", "1000M"),
    ],
    ids=lambda value: str(value),
)
def test_docs_equal_values_compare_equal(left: str, right: str) -> None:
    """The Kubernetes docs' examples: cpu 0.1 is 100m; memory 128974848 is 123Mi."""
    assert parse_quantity(left) == parse_quantity(right)
    assert hash(parse_quantity(left)) == hash(parse_quantity(right))


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("123Mi", "129e6"),
        ("128974848", "129M"),
        ("400m", "1"),
        ("50m", "100m"),
        ("100Gi", "10000T"),
        ("-1", "0"),
    ],
    ids=lambda value: str(value),
)
def test_ordering(smaller: str, larger: str) -> None:
    low, high = parse_quantity(smaller), parse_quantity(larger)
    assert low < high and low <= high and high > low and high >= low and low != high


@pytest.mark.parametrize(
    ("text", "value", "milli", "whole"),
    [
        ("1", 1, 1000, 1),
        ("100m", 1, 100, 0),
        ("1500m", 2, 1500, 1),
        ("1.0001", 2, 1001, 1),
        ("1n", 1, 1, 0),
        ("128Mi", 128 * MI, 128 * MI * 1000, 128 * MI),
        ("-1500m", -2, -1500, -1),
        ("-1n", -1, -1, 0),
        ("0", 0, 0, 0),
    ],
    ids=lambda value: str(value),
)
def test_value_and_milli_value_round_away_from_zero(text: str, value: int, milli: int, whole: int) -> None:
    quantity = parse_quantity(text)
    assert quantity.value() == value
    assert quantity.milli_value() == milli
    assert int(quantity) == whole


@pytest.mark.parametrize(
    ("left", "right", "total", "difference"),
    [
        ("100m", "200m", "300m", "-100m"),
        ("1", "500m", "1500m", "500m"),
        ("1Gi", "512Mi", "1536Mi", "512Mi"),
        ("0", "1Gi", "1Gi", "-1Gi"),
        ("1Gi", "0", "1Gi", "1Gi"),
        ("0", "100m", "100m", "-100m"),
        ("1e3", "1", "1001", "999"),
        ("1k", "1Ki", "2024", "-24"),
    ],
    ids=lambda value: str(value),
)
def test_arithmetic_is_exact_and_keeps_the_format(left: str, right: str, total: str, difference: str) -> None:
    a, b = parse_quantity(left), parse_quantity(right)
    assert str(a + b) == total
    assert str(a - b) == difference
    assert a + b == parse_quantity(total)


def test_constructors_and_negation() -> None:
    assert str(Quantity.from_int(1024, BINARY_SI)) == "1Ki"
    assert str(Quantity.from_int(1000)) == "1k"
    assert str(Quantity.from_milli(1024, BINARY_SI)) == "1024m"
    assert str(Quantity.from_milli(1)) == "1m"
    assert str(-parse_quantity("1Gi")) == "-1Gi"
    assert parse_quantity("0").is_zero() and not parse_quantity("1n").is_zero()


def test_quantities_are_immutable() -> None:
    quantity = parse_quantity("1Gi")
    with pytest.raises(dataclasses.FrozenInstanceError):
        quantity.nanos = 0  # type: ignore[misc]  # the point: frozen dataclasses refuse assignment
    assert repr(quantity) == "Quantity('1Gi')"


# --- properties -----------------------------------------------------------------------------

FORMATS = st.sampled_from([DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT])
# Parsing caps binary-SI values at 2^63-1 (as Kubernetes does): keep sums within int64 units.
LIMIT = (2**63 - 1) * NANO // 4
BUILT = st.builds(Quantity, st.integers(min_value=-LIMIT, max_value=LIMIT), FORMATS)
TEXTS = st.from_regex(
    r"[+-]?[0-9]{1,8}(\.[0-9]{0,10})?(|n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e-?[0-9]{1,2})", fullmatch=True
)
PARSED = TEXTS.map(parse_quantity)
QUANTITIES = st.one_of(BUILT, PARSED)


@given(QUANTITIES)
@example(quantity=Quantity(5000 * NANO, BINARY_SI))
def test_property_string_round_trip(quantity: Quantity) -> None:
    """The value survives printing and parsing; the text is stable from the first parse on.

    The text itself may change once, as in Kubernetes: a binary-SI 5000 prints "5000", which
    parses as decimal SI and prints "5k" from then on.
    """
    again = parse_quantity(str(quantity))
    assert again == quantity
    assert str(parse_quantity(str(again))) == str(again)


def test_a_binary_si_value_off_the_1024_grid_reprints_in_decimal_si() -> None:
    quantity = Quantity(5000 * NANO, BINARY_SI)
    assert str(quantity) == "5000"
    assert str(parse_quantity("5000")) == "5k"


@given(QUANTITIES, QUANTITIES)
def test_property_addition_is_exact_and_commutative(a: Quantity, b: Quantity) -> None:
    assert (a + b).nanos == a.nanos + b.nanos
    assert a + b == b + a
    assert (a + b) - b == a
    total = a + b
    binary_text = str(total).endswith(("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"))
    if binary_text and abs(total.nanos) > (2**63 - 1) * NANO:
        # Kubernetes caps a parsed binary-SI value at ±(2^63-1); a sum may exceed it (1Ki + 10E)
        capped = parse_quantity(f"{'-' if total.nanos < 0 else ''}{2**63 - 1}")
        assert parse_quantity(str(total)) == capped
    else:
        assert parse_quantity(str(total)) == total


@given(QUANTITIES, QUANTITIES, QUANTITIES)
def test_property_addition_is_associative(a: Quantity, b: Quantity, c: Quantity) -> None:
    assert (a + b) + c == a + (b + c)


@given(QUANTITIES, QUANTITIES)
def test_property_order_agrees_with_equality_and_hash(a: Quantity, b: Quantity) -> None:
    assert (a == b) == (not a < b and not b < a)
    if a == b:
        assert hash(a) == hash(b)
