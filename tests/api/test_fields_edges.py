"""Field selector values and order (API-8): escapes in values, bare `,`/`=` rejected even without
any escape, the canonical order by text, and a field no getter knows reading as empty."""

from __future__ import annotations

import pytest

from kubelite.api.core import Pod
from kubelite.api.fields import parse_field_selector, unescape_value
from kubelite.api.meta import ObjectMeta


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("a,b", "invalid field selector: unescaped character in value: 44"),
        ("a=b", "invalid field selector: unescaped character in value: 61"),
        ("a\\X", "invalid field selector: invalid escape sequence: \\X"),
    ],
)
def test_api8_bad_values(value: str, error: str) -> None:
    with pytest.raises(ValueError) as caught:
        unescape_value(value)
    assert str(caught.value) == error


def test_api8_escaped_values_keep_their_other_characters() -> None:
    assert unescape_value("X\\,X\\=\\\\") == "X,X=\\"


def test_api8_requirements_are_ordered_by_their_text() -> None:
    assert str(parse_field_selector("a=x,a.b=y")) == "a.b=y,a=x"


def test_api8_a_field_without_a_getter_reads_as_empty() -> None:
    pod = Pod(metadata=ObjectMeta(name="n", namespace="d"))
    assert [parse_field_selector(s).matches(pod) for s in ("spec.unknown=", "spec.unknown=x")] == [
        True,
        False,
    ]
