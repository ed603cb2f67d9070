"""Syntax rules for names, keys and small values, worded as Kubernetes words them.

Every `is_*` function takes a string and returns the list of problems with it, empty when it is
valid; callers turn each problem into a `FieldError` at the field they are checking. The messages
match `k8s.io/apimachinery/pkg/util/validation` (DNS-1123 subdomain and label, DNS-1035 label,
qualified names / label keys, label values, ConfigMap keys, port numbers and names, percentages).

`NameFn` values (`subdomain_name`, `label_name`, `dns1035_name`) check an object's name; with
`prefix=True` they check a `generateName` prefix, where a trailing dash is allowed. Pure functions,
no state.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

NameFn = Callable[[str, bool], list[str]]

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
PERCENT_FMT = "[0-9]+%"
HTTP_HEADER_FMT = "[-A-Za-z0-9]+"

DNS1123_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
LABEL_VALUE_MAX = 63
QUALIFIED_NAME_MAX = 63

_DNS1123_LABEL = re.compile(DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN = re.compile(DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL = re.compile(DNS1035_LABEL_FMT)
_QUALIFIED_NAME = re.compile(QUALIFIED_NAME_FMT)
_LABEL_VALUE = re.compile(LABEL_VALUE_FMT)
_CONFIG_KEY = re.compile(CONFIG_KEY_FMT)
_PERCENT = re.compile(PERCENT_FMT)
_PORT_NAME_CHARS = re.compile("[-a-z0-9]+")
_HTTP_HEADER = re.compile(HTTP_HEADER_FMT)

_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character"
)
_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
_DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character"
)
_QUALIFIED_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
_CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"


def _memo(func: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """Cache a pure string check; callers get a fresh list each time (they may extend it)."""
    cached = functools.lru_cache(maxsize=8192)(lambda value: tuple(func(value)))

    @functools.wraps(func)
    def wrapper(value: str) -> list[str]:
        return list(cached(value))

    return wrapper


def regex_error(message: str, pattern: str, *examples: str) -> str:
    """`message (e.g. 'a',  or 'b', regex used for validation is 'pattern')`, spacing included."""
    shown = " or ".join(f"'{example}', " for example in examples)
    prefix = f" (e.g. {shown}" if examples else " ("
    return f"{message}{prefix}regex used for validation is '{pattern}')"


def max_len_error(length: int) -> str:
    return f"must be no more than {length} characters"


def inclusive_range_error(low: int, high: int) -> str:
    return f"must be between {low} and {high}, inclusive"


@_memo
def is_dns1123_label(value: str) -> list[str]:
    problems = [max_len_error(DNS1123_LABEL_MAX)] if len(value) > DNS1123_LABEL_MAX else []
    if not _DNS1123_LABEL.fullmatch(value):
        if _DNS1123_SUBDOMAIN.fullmatch(value):
            problems.append("must not contain dots")
        else:
            problems.append(regex_error(_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return problems


@_memo
def is_dns1123_subdomain(value: str) -> list[str]:
    problems = [max_len_error(DNS1123_SUBDOMAIN_MAX)] if len(value) > DNS1123_SUBDOMAIN_MAX else []
    if not _DNS1123_SUBDOMAIN.fullmatch(value):
        problems.append(regex_error(_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"))
    return problems


@_memo
def is_dns1035_label(value: str) -> list[str]:
    problems = [max_len_error(DNS1123_LABEL_MAX)] if len(value) > DNS1123_LABEL_MAX else []
    if not _DNS1035_LABEL.fullmatch(value):
        problems.append(regex_error(_DNS1035_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return problems


@_memo
def is_qualified_name(value: str) -> list[str]:
    """A label key, annotation key or finalizer: `[prefix/]name` (API-7)."""
    parts = value.split("/")
    if len(parts) > 2:
        pattern = regex_error(_QUALIFIED_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        return [
            f"a qualified name {pattern} with an optional DNS subdomain prefix and '/' "
            "(e.g. 'example.com/MyName')"
        ]
    problems = _prefix_problems(parts[0]) if len(parts) == 2 else []
    name = parts[-1]
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > QUALIFIED_NAME_MAX:
        problems.append("name part " + max_len_error(QUALIFIED_NAME_MAX))
    if not _QUALIFIED_NAME.fullmatch(name):
        pattern = regex_error(_QUALIFIED_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
        problems.append("name part " + pattern)
    return problems


def _prefix_problems(prefix: str) -> list[str]:
    if not prefix:
        return ["prefix part must be non-empty"]
    return ["prefix part " + problem for problem in is_dns1123_subdomain(prefix)]


@_memo
def is_label_value(value: str) -> list[str]:
    problems = [max_len_error(LABEL_VALUE_MAX)] if len(value) > LABEL_VALUE_MAX else []
    if not _LABEL_VALUE.fullmatch(value):
        problems.append(regex_error(_LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return problems


@_memo
def is_config_map_key(value: str) -> list[str]:
    """A key of ConfigMap or Secret data."""
    problems = [max_len_error(DNS1123_SUBDOMAIN_MAX)] if len(value) > DNS1123_SUBDOMAIN_MAX else []
    if not _CONFIG_KEY.fullmatch(value):
        problems.append(regex_error(_CONFIG_KEY_MSG, CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    if value == ".":
        problems.append("must not be '.'")
    elif value == "..":
        problems.append("must not be '..'")
    elif value.startswith(".."):
        problems.append("must not start with '..'")
    return problems


def is_valid_port_num(port: int) -> list[str]:
    return [] if 1 <= port <= 65535 else [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    problems = [max_len_error(15)] if len(port) > 15 else []
    if not _PORT_NAME_CHARS.fullmatch(port):
        problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", port):
        problems.append("must contain at least one letter (a-z)")
    if "--" in port:
        problems.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        problems.append("must not begin or end with a hyphen")
    return problems


def is_valid_percent(value: str) -> list[str]:
    return [] if _PERCENT.fullmatch(value) else [regex_error(_PERCENT_MSG, PERCENT_FMT, "1%", "93%")]


def is_http_header_name(value: str) -> list[str]:
    if _HTTP_HEADER.fullmatch(value):
        return []
    message = "a valid HTTP header must consist of alphanumeric characters or '-'"
    return [regex_error(message, HTTP_HEADER_FMT, "X-Header-Name")]


@_memo
def is_env_var_name(value: str) -> list[str]:
    """The relaxed rule (Kubernetes ≥ 1.32 default): printable ASCII other than '='."""
    if not value:
        return ["environment variable name must be non-empty"]
    if any(not (" " <= char <= "~") or char == "=" for char in value):
        return [
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
        ]
    return []


def _mask_trailing_dash(name: str) -> str:
    """A generateName prefix may end in a dash: drop it (and the character before) for checking."""
    if len(name) > 1 and name.endswith("-"):
        return name[:-2] + "a"
    return name


def subdomain_name(name: str, prefix: bool) -> list[str]:
    """Name rule of most kinds (API-6): a DNS-1123 subdomain."""
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def label_name(name: str, prefix: bool) -> list[str]:
    """Name rule of Namespaces (API-6): a DNS-1123 label."""
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def dns1035_name(name: str, prefix: bool) -> list[str]:
    """Name rule of Services (API-6): a DNS-1035 label."""
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)
