"""API discovery built from the registry: aggregated (apidiscovery.k8s.io v2 and v2beta1) and legacy.

- `/api` and `/apis` answer an `APIGroupDiscoveryList` when the Accept header asks for one (the reply
  echoes the chosen media type as Content-Type, which is how clients tell it apart), else the legacy
  `APIVersions` / `APIGroupList`.
- `/api/v1` and `/apis/{group}/{version}` answer the legacy `APIResourceList`, subresources as
  `pods/eviction` entries with their own kind and verbs (`kubectl drain` looks there).
Every resource lists its short names and categories (`all` drives `kubectl get all`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kubelite.api.registry import Registry, ResourceInfo, SubresourcePayload, subresource_payload
from kubelite.apiserver.http.responses import JSON, media_ranges
from kubelite.apiserver.http.routes.paths import subresources

DISCOVERY_GROUP = "apidiscovery.k8s.io"
RESOURCE_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SUBRESOURCE_VERBS = {
    "status": ["get", "patch", "update"],
    "scale": ["get", "patch", "update"],
    "binding": ["create"],
    "eviction": ["create"],
    "finalize": ["update"],
    "log": ["get"],
}


def aggregated_version(accept: str) -> str:
    """ "v2" or "v2beta1" when the Accept header asks for aggregated discovery first, else ""."""
    for bare, params in media_ranges(accept):
        wanted = params.get("g") == DISCOVERY_GROUP and params.get("as") == "APIGroupDiscoveryList"
        if bare == JSON and wanted and params.get("v") in ("v2", "v2beta1"):
            return params["v"]
        if bare in (JSON, "*/*", "application/*") and not params:
            return ""
    return ""


def aggregated_content_type(version: str) -> str:
    return f"{JSON};g={DISCOVERY_GROUP};v={version};as=APIGroupDiscoveryList"


def _payload(info: ResourceInfo, sub: str) -> SubresourcePayload:
    if sub in info.subresources:
        return subresource_payload(info, sub)
    return SubresourcePayload(info.group, info.version, info.kind, info.type)


def _groups(registry: Registry, core: bool) -> dict[str, dict[str, list[ResourceInfo]]]:
    groups: dict[str, dict[str, list[ResourceInfo]]] = {}
    for info in registry.all():
        if (info.group == "") == core:
            groups.setdefault(info.group, {}).setdefault(info.version, []).append(info)
    return groups


def _aggregated_resource(info: ResourceInfo) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "resource": info.plural,
        "responseKind": {"group": info.group, "version": info.version, "kind": info.kind},
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular,
        "verbs": RESOURCE_VERBS,
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    subs = []
    for sub in subresources(info):
        payload = _payload(info, sub)
        kind = {"group": payload.group, "version": payload.version, "kind": payload.kind}
        subs.append({"subresource": sub, "responseKind": kind, "verbs": SUBRESOURCE_VERBS.get(sub, ["get"])})
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(registry: Registry, *, core: bool, version: str) -> dict[str, Any]:
    items = []
    for group, versions in _groups(registry, core).items():
        listed = [
            {"version": v, "freshness": "Current", "resources": [_aggregated_resource(i) for i in infos]}
            for v, infos in versions.items()
        ]
        items.append({"metadata": {"name": group}, "versions": listed})
    return {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"{DISCOVERY_GROUP}/{version}",
        "metadata": {},
        "items": items,
    }


def api_versions(server_address: str) -> dict[str, Any]:
    return {
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_address}],
    }


def api_group_list(registry: Registry) -> dict[str, Any]:
    groups = []
    for group, versions in _groups(registry, core=False).items():
        listed = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        groups.append({"name": group, "versions": listed, "preferredVersion": listed[0]})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def _legacy_resources(info: ResourceInfo) -> list[dict[str, Any]]:
    main: dict[str, Any] = {
        "name": info.plural,
        "singularName": info.singular,
        "namespaced": info.namespaced,
        "kind": info.kind,
        "verbs": RESOURCE_VERBS,
    }
    if info.short_names:
        main["shortNames"] = list(info.short_names)
    if info.categories:
        main["categories"] = list(info.categories)
    entries = [main]
    for sub in subresources(info):
        payload = _payload(info, sub)
        entry = {"name": f"{info.plural}/{sub}", "singularName": "", "namespaced": info.namespaced}
        if (payload.group, payload.version) != (info.group, info.version):
            entry |= {"group": payload.group, "version": payload.version}
        entries.append(entry | {"kind": payload.kind, "verbs": SUBRESOURCE_VERBS.get(sub, ["get"])})
    return entries


def resource_list(infos: Sequence[ResourceInfo], group_version: str) -> dict[str, Any]:
    resources = [entry for info in infos for entry in _legacy_resources(info)]
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }


def group_version_infos(registry: Registry, group: str, version: str) -> list[ResourceInfo]:
    return [i for i in registry.all() if i.group == group and i.version == version]
