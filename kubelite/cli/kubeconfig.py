"""The admin kubeconfig the server writes for kubectl and the official clients.

`admin_kubeconfig(server_url, ca_pem=..., token=...)` builds the document (one cluster, one user,
one context, all named `kubelite`, and that context current); over HTTPS it carries the CA as
`certificate-authority-data` and the bearer token, over plain HTTP neither (kubectl never sends a
token over HTTP). `write_kubeconfig(path, document)` writes it 0600, all or nothing.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import yaml

from kubelite.cli.pki import write_private

NAME = "kubelite"


def admin_kubeconfig(server_url: str, *, ca_pem: bytes | None, token: str | None) -> dict[str, Any]:
    cluster: dict[str, Any] = {"server": server_url}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    user: dict[str, Any] = {"token": token} if token is not None else {}
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": NAME, "cluster": cluster}],
        "users": [{"name": NAME, "user": user}],
        "contexts": [{"name": NAME, "context": {"cluster": NAME, "user": NAME}}],
        "current-context": NAME,
        "preferences": {},
    }


def write_kubeconfig(path: Path, document: dict[str, Any]) -> None:
    write_private(path, yaml.safe_dump(document, sort_keys=False).encode())
