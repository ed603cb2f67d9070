"""core/v1 ConfigMap and Secret: string maps of configuration.

ConfigMap `binaryData` and Secret `data` hold base64 strings, as on the wire. A Secret's
`stringData` is write-only: defaulting merges it into `data` (base64-encoded, `stringData` wins on
a shared key) and clears it, so it is never stored. Secret `type` defaults to `Opaque`.
"""

from __future__ import annotations

import msgspec

from kubelite.api.meta import Object


class ConfigMap(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    immutable: bool | None = None
    data: dict[str, str] = {}
    binary_data: dict[str, str] = {}


class Secret(Object):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    immutable: bool | None = None
    data: dict[str, str] = {}
    string_data: dict[str, str] = {}
    type: str = ""
