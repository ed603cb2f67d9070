"""policy/v1 Eviction: the payload of `POST pods/{name}/eviction` (NODE-15).

Not a stored resource. `metadata` names the pod; `deleteOptions` (optional) is used for the
pod's deletion, so a grace period given here applies.
"""

from __future__ import annotations

import msgspec

from kubelite.api.meta import DeleteOptions, Object


class Eviction(Object):
    api_version: str = msgspec.field(default_factory=lambda: "policy/v1")
    delete_options: DeleteOptions | None = None
