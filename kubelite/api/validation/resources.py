"""Validation of container resource requirements (`resources.limits` / `resources.requests`).

Resource names are standard container resources (`cpu`, `memory`, `ephemeral-storage`,
`hugepages-<size>`) or fully qualified extended resources (`example.com/gpu`). Quantities must
parse (`kubelite.api.quantity`'s message is reported), be non-negative, and (for extended
resources) be whole numbers; `str()` of a quantity is its canonical form. A request may not exceed
its limit; resources that cannot be overcommitted (extended resources, huge pages) need a limit
and a request equal to it. Paths and messages follow Kubernetes: per-resource problems are reported
at `…limits[cpu]`, the request-versus-limit comparison at `…requests`. Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.container import ResourceRequirements
from kubelite.api.errors import FieldError, forbidden, invalid, required
from kubelite.api.quantity import Quantity, parse_quantity
from kubelite.api.validation import names
from kubelite.api.validation.fields import NEGATIVE, Rendered, messages

QUANTITY_PATTERN = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
CONTAINER_RESOURCES = frozenset({"cpu", "memory", "ephemeral-storage"})
STANDARD_RESOURCES = CONTAINER_RESOURCES | frozenset(
    {
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "requests.storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "storage",
        "services.nodeports",
        "services.loadbalancers",
    }
)


def validate_resources(resources: ResourceRequirements, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    limits = _parsed(resources.limits, f"{path}.limits", errors)
    requests = _parsed(resources.requests, f"{path}.requests", errors)
    for name, request in requests.items():
        errors += _against_limit(name, request, limits.get(name), path)
    if _huge_pages_only(limits) or _huge_pages_only(requests):
        errors.append(forbidden(path, "HugePages require cpu or memory"))
    return errors


def _parsed(values: dict[str, str], path: str, errors: list[FieldError]) -> dict[str, Quantity]:
    """Check names and quantities; return the quantities that parsed."""
    parsed: dict[str, Quantity] = {}
    for name in sorted(values):
        item = f"{path}[{name}]"
        errors += resource_name_errors(name, item)
        quantity, problems = parsed_quantity(name, values[name], item)
        errors += problems
        if quantity is not None:
            parsed[name] = quantity
    return parsed


def parsed_quantity(name: str, text: str, path: str) -> tuple[Quantity | None, list[FieldError]]:
    """The quantity (None if it does not parse) and what is wrong with it."""
    try:
        quantity = parse_quantity(text)
    except ValueError as error:
        return None, [invalid(text, path, str(error))]
    return quantity, quantity_value_errors(name, quantity, path)


def quantity_value_errors(name: str, quantity: Quantity, path: str) -> list[FieldError]:
    if quantity.nanos < 0:
        return [invalid(str(quantity), path, NEGATIVE)]
    if is_extended(name) and quantity.milli_value() % 1000:
        return [invalid(Rendered(str(quantity)), path, "must be an integer")]
    return []


def _against_limit(name: str, request: Quantity, limit: Quantity | None, path: str) -> list[FieldError]:
    requests_path = f"{path}.requests"
    if limit is None:
        if overcommit_allowed(name):
            return []
        return [required(f"{path}.limits", "Limit must be set for non overcommitable resources")]
    if not overcommit_allowed(name) and request != limit:
        return [invalid(str(request), requests_path, f"must be equal to {name} limit of {limit}")]
    if request > limit:
        return [
            invalid(str(request), requests_path, f"must be less than or equal to {name} limit of {limit}")
        ]
    return []


def _huge_pages_only(values: dict[str, Quantity]) -> bool:
    has_huge_pages = any(is_huge_pages(name) for name in values)
    return has_huge_pages and not ({"cpu", "memory"} & values.keys())


def resource_name_errors(name: str, path: str) -> list[FieldError]:
    errors = messages(name, path, names.is_qualified_name(name))
    if errors:
        return errors
    if "/" not in name:
        if name not in STANDARD_RESOURCES and not is_huge_pages(name):
            errors.append(invalid(name, path, "must be a standard resource type or fully qualified"))
        if name not in CONTAINER_RESOURCES and not is_huge_pages(name):
            errors.append(invalid(name, path, "must be a standard resource for containers"))
    elif not is_native(name) and not is_extended(name):
        errors.append(invalid(name, path, "doesn't follow extended resource name standard"))
    return errors


def is_huge_pages(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    if is_native(name) or name.startswith("requests."):
        return False
    return not names.is_qualified_name("requests." + name)


def overcommit_allowed(name: str) -> bool:
    return is_native(name) and not is_huge_pages(name)
