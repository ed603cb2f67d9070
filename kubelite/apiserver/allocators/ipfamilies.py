"""`ipFamilyPolicy` and `ipFamilies` of a Service, as upstream's `initIPFamilyFields` sets them on
a single-stack cluster (the family of the service CIDR).

- ExternalName Services get neither.
- An unset policy is the old object's on update, `RequireDualStack` for a headless Service without
  a selector, else `SingleStack`.
- `ipFamilies` is inferred from the named cluster IPs (an address of a family the cluster lacks is
  "<family> is not configured on this cluster" on `spec.clusterIPs[i]`), then defaults to the
  cluster's family. A headless selector-less Service is the exception upstream allows: unless
  `SingleStack`, it lists both families.
- Otherwise `RequireDualStack` is "this cluster is not configured for dual-stack services" and a
  family the cluster lacks is "not configured on this cluster"; a `SingleStack` policy with two
  cluster IPs or two families is refused as upstream words it.
Returns the field errors; the Service is changed only when there are none.
"""

from __future__ import annotations

import ipaddress

from kubelite.api.core import Service
from kubelite.api.errors import FieldError, invalid
from kubelite.api.validation.fields import shown

SINGLE, REQUIRE_DUAL = "SingleStack", "RequireDualStack"
_TWO = "must be 'RequireDualStack' or 'PreferDualStack' when multiple {} are specified"


def family_of(ip: str) -> str:
    try:
        return "IPv4" if ipaddress.ip_address(ip).version == 4 else "IPv6"
    except ValueError:
        return "unknown"


def other(family: str) -> str:
    return "IPv6" if family == "IPv4" else "IPv4"


def init_ip_families(svc: Service, old: Service | None, family: str) -> list[FieldError]:
    spec = svc.spec
    if spec.type == "ExternalName":
        return []
    policy = spec.ip_family_policy or _default_policy(svc, old)
    families = list(spec.ip_families)
    errors = _single_stack(policy, spec.cluster_ips, families) + _infer(spec.cluster_ips, families, family)
    if errors:
        return errors
    if spec.cluster_ip == "None" and not spec.selector:
        families = families or [family]
        if len(families) < 2 and policy != SINGLE:
            families.append(other(families[0]))
    else:
        errors = _configured(policy, families, family)
        families = families or [family]
    if not errors:
        spec.ip_family_policy, spec.ip_families = policy, families
    return errors


def _infer(cluster_ips: list[str], families: list[str], family: str) -> list[FieldError]:
    """Append to `families` the family of each named cluster IP it lacks an entry for."""
    errors = []
    for index, ip in enumerate(cluster_ips):
        if ip == "None":
            break
        if index >= len(families):
            found = family_of(ip)
            if found != family:
                detail = f"{found} is not configured on this cluster"
                errors.append(invalid(shown(cluster_ips), f"spec.clusterIPs[{index}]", detail))
            else:
                families.append(found)
    return errors


def _default_policy(svc: Service, old: Service | None) -> str:
    if old is not None and old.spec.ip_family_policy:
        return old.spec.ip_family_policy
    if svc.spec.cluster_ip == "None" and not svc.spec.selector:
        return REQUIRE_DUAL
    return SINGLE


def _single_stack(policy: str, cluster_ips: list[str], families: list[str]) -> list[FieldError]:
    if policy != SINGLE:
        return []
    errors = []
    if len(cluster_ips) == 2:
        errors.append(invalid(policy, "spec.ipFamilyPolicy", _TWO.format("cluster IPs")))
    if len(families) == 2:
        errors.append(invalid(policy, "spec.ipFamilyPolicy", _TWO.format("IP families")))
    return errors


def _configured(policy: str, families: list[str], family: str) -> list[FieldError]:
    errors = []
    if policy == REQUIRE_DUAL:
        detail = "this cluster is not configured for dual-stack services"
        errors.append(invalid(policy, "spec.ipFamilyPolicy", detail))
    for index, wanted in enumerate(families):
        if wanted != family:
            errors.append(invalid(wanted, f"spec.ipFamilies[{index}]", "not configured on this cluster"))
    return errors
