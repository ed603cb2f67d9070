"""Per-request options and the warnings a request collects.

`RequestContext` travels with one API call: how unknown fields are treated (`field_validation`:
"Ignore", "Warn" — the default — or "Strict"), whether it is a dry run (nothing is stored; the result
is what would have been stored), the field manager name, and the `warnings` the call produced (the
HTTP layer sends them as `Warning` headers). `return_deleted_object`: a DELETE that removes an
object of a kind whose strategy says so (pods, Services) answers with the object instead of a
Status, as upstream's HTTP API does; in-process callers keep the Status, which tells a removal
from a pending deletion. A context belongs to one call; do not share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubelite.api.errors import BadRequest

FIELD_VALIDATION = ("Ignore", "Warn", "Strict")


@dataclass(slots=True)
class RequestContext:
    field_validation: str = "Warn"
    dry_run: bool = False
    field_manager: str = ""
    warnings: list[str] = field(default_factory=list)
    return_deleted_object: bool = False

    def __post_init__(self) -> None:
        if self.field_validation not in FIELD_VALIDATION:
            raise BadRequest(
                f'fieldValidation "{self.field_validation}" is invalid: must be one of Ignore, Warn, Strict'
            )

    @property
    def strict(self) -> bool:
        return self.field_validation == "Strict"

    def warn(self, message: str) -> None:
        if self.field_validation != "Ignore":
            self.warnings.append(message)
