"""API-6/API-7 syntax rules: names, label keys and values, data keys, ports, generateName prefixes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelite.api.validation import names

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
    "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1035 = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
    "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
CONFIG_KEY = (
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or "
    "'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
)


@pytest.mark.parametrize(
    ("check", "value", "problems"),
    [
        (names.is_dns1123_subdomain, "example.com", []),
        (names.is_dns1123_subdomain, "Web!", [SUBDOMAIN]),
        (names.is_dns1123_subdomain, "a" * 253, []),
        (names.is_dns1123_subdomain, "a" * 254, ["must be no more than 253 characters"]),
        (names.is_dns1123_subdomain, "-a", [SUBDOMAIN]),
        (names.is_dns1123_label, "my-name", []),
        (names.is_dns1123_label, "a.b", ["must not contain dots"]),
        (names.is_dns1123_label, "A", [LABEL]),
        (names.is_dns1123_label, "a" * 64, ["must be no more than 63 characters"]),
        (names.is_dns1035_label, "abc-123", []),
        (names.is_dns1035_label, "1abc", [DNS1035]),
        (names.is_qualified_name, "example.com/My_Name.1", []),
        (names.is_qualified_name, "bad key", [NAME_PART]),
        (names.is_qualified_name, "/x", ["prefix part must be non-empty"]),
        (names.is_qualified_name, "Ex/x", ["prefix part " + SUBDOMAIN]),
        (names.is_qualified_name, "a/", ["name part must be non-empty", NAME_PART]),
        (names.is_qualified_name, "x" * 64, ["name part must be no more than 63 characters"]),
        (names.is_label_value, "", []),
        (names.is_label_value, "x" * 64, ["must be no more than 63 characters"]),
        (names.is_label_value, "-x", [LABEL_VALUE]),
        (names.is_config_map_key, "key.name", []),
        (names.is_config_map_key, "bad key", [CONFIG_KEY]),
        (names.is_config_map_key, "..x", ["must not start with '..'"]),
        (names.is_config_map_key, ".", ["must not be '.'"]),
        (names.is_valid_percent, "25%", []),
        (names.is_env_var_name, "MY_VAR.1", []),
        (
            names.is_env_var_name,
            "A=B",
            [
                "a valid environment variable name must consist only of printable ASCII characters other than '='"
            ],
        ),
    ],
    ids=[
        "subdomain-ok",
        "subdomain-bad-chars",
        "subdomain-253",
        "subdomain-254",
        "subdomain-leading-dash",
        "label-ok",
        "label-dots",
        "label-uppercase",
        "label-64",
        "dns1035-ok",
        "dns1035-leading-digit",
        "qualified-ok",
        "qualified-space",
        "qualified-empty-prefix",
        "qualified-bad-prefix",
        "qualified-empty-name",
        "qualified-long-name",
        "label-value-empty",
        "label-value-64",
        "label-value-leading-dash",
        "config-key-ok",
        "config-key-space",
        "config-key-dotdot",
        "config-key-dot",
        "percent-ok",
        "env-ok",
        "env-equals",
    ],
)
def test_api6_api7_syntax_rules(check: Callable[[str], list[str]], value: str, problems: list[str]) -> None:
    assert check(value) == problems


def test_qualified_name_with_two_slashes() -> None:
    (problem,) = names.is_qualified_name("a/b/c")
    assert problem.startswith("a qualified name must consist of alphanumeric characters")
    assert problem.endswith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ("http", []),
        ("a" * 16, ["must be no more than 15 characters"]),
        ("123", ["must contain at least one letter (a-z)"]),
        ("a--b", ["must not contain consecutive hyphens"]),
        ("-ab", ["must not begin or end with a hyphen"]),
        (
            "A",
            [
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                "must contain at least one letter (a-z)",
            ],
        ),
    ],
    ids=["ok", "too-long", "no-letter", "double-hyphen", "leading-hyphen", "uppercase"],
)
def test_port_names(value: str, problems: list[str]) -> None:
    assert names.is_valid_port_name(value) == problems


@pytest.mark.parametrize(
    ("port", "ok"),
    [(0, False), (1, True), (65535, True), (65536, False)],
    ids=["zero", "one", "max", "above-max"],
)
def test_port_numbers(port: int, ok: bool) -> None:
    assert names.is_valid_port_num(port) == ([] if ok else ["must be between 1 and 65535, inclusive"])


@pytest.mark.parametrize(
    ("fn", "prefix", "ok"),
    [
        (names.subdomain_name, "web-", True),
        (names.subdomain_name, "Web-", False),
        (names.label_name, "team-", True),
        (names.dns1035_name, "svc-", True),
        (names.dns1035_name, "1svc-", False),
    ],
    ids=["subdomain-dash", "subdomain-upper", "label-dash", "dns1035-dash", "dns1035-digit"],
)
def test_api5_generate_name_prefix_may_end_in_dash(fn: names.NameFn, prefix: str, ok: bool) -> None:
    assert (fn(prefix, True) == []) is ok
    assert fn(prefix, False) != []  # as a full name the trailing dash is invalid


@given(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True))
def test_every_dns_label_is_a_subdomain_and_a_label_value(value: str) -> None:
    assert names.is_dns1123_label(value) == []
    assert names.is_dns1123_subdomain(value) == []
    assert names.is_label_value(value) == []
