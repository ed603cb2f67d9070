"""The minimal OpenAPI v3 documents that let `kubectl apply` validate on the server.

`/openapi/v3` indexes one document per group-version (`serverRelativeURL` with a content hash).
Each document holds, for every kind, the PATCH operation of its item path, tagged with
`x-kubernetes-group-version-kind` and taking the `fieldValidation` query parameter: that is what
kubectl checks before it sends `fieldValidation=Strict` and leaves validation to the server.
`/openapi/v2` is deliberately not served (404): kubectl then uses v3.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from kubelite.api.registry import Registry, ResourceInfo
from kubelite.apiserver.http.settings import HTTPSettings


def _gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def _item_path(info: ResourceInfo) -> str:
    scope = "/namespaces/{namespace}" if info.namespaced else ""
    return f"/{_gv_path(info.group, info.version)}{scope}/{info.plural}/{{name}}"


def _patch_operation(info: ResourceInfo) -> dict[str, Any]:
    gvk = {"group": info.group, "version": info.version, "kind": info.kind}
    params = [
        {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
        {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
        {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": True}},
    ]
    return {
        "operationId": f"patch{info.kind}",
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": gvk,
        "parameters": params,
        "responses": {"200": {"description": "OK"}, "201": {"description": "Created"}},
    }


def documents(registry: Registry, settings: HTTPSettings) -> dict[str, bytes]:
    """Each group-version's document, encoded, keyed by its path (`api/v1`, `apis/apps/v1`)."""
    paths: dict[str, dict[str, Any]] = {}
    for info in registry.all():
        doc_paths = paths.setdefault(_gv_path(info.group, info.version), {})
        doc_paths[_item_path(info)] = {"patch": _patch_operation(info)}
    info_block = {"title": "Kubernetes", "version": settings.git_version}
    return {
        gv: msgspec.json.encode({"openapi": "3.0.0", "info": info_block, "paths": doc, "components": {}})
        for gv, doc in paths.items()
    }


def index(docs: dict[str, bytes]) -> bytes:
    paths = {
        gv: {"serverRelativeURL": f"/openapi/v3/{gv}?hash={hashlib.sha256(body).hexdigest()[:32].upper()}"}
        for gv, body in docs.items()
    }
    return msgspec.json.encode({"paths": paths})
