"""Quantities (Kubernetes `resource.Quantity` semantics) at the edges the parse tables leave open:
ordering by value with equal values on both sides, comparison with something that is not a
quantity, and `from_milli` keeping the format it is given."""

from __future__ import annotations

import pytest

from kubelite.api.quantity import BINARY_SI, Quantity, parse_quantity


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
