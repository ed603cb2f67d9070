"""Object metadata and the meta/v1 types every kind shares.

Conventions for every kubelite API type (see `kubelite/api/core/pod.py` for a full example):

- Types are msgspec Structs built on `Base` (nested values) or `Object` (top-level kinds). They encode
  to the exact Kubernetes JSON shape: camelCase names, empty and default values omitted.
- Attribute names are the snake_case of the JSON names (`restartPolicy` → `restart_policy`).
- Go pointer fields (`*int32`, `*bool`, optional structs) are `X | None = None` so that "unset" and
  "zero" stay distinct; plain Go values (`string`, `bool`, slices, maps) default to their empty value.
- Timestamps are RFC 3339 strings (`kubelite.clock.rfc3339`), quantities are strings
  (`kubelite.api.quantity`), int-or-string values are `int | str`.
- No type may hold a reference back to a parent or to itself: instances are not tracked by the
  cycle collector (`gc=False`), which is only safe for acyclic values.
- `Object` subclasses are tagged with `kind` (the class name) and declare their `api_version`
  default; both are always encoded.

Ownership: a Struct is a plain mutable value. Whoever receives one from the store or a client owns
it (the store hands out fresh copies), so mutating it affects nobody else.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from kubelite.api.patchmeta import MergeKey, MergeSet


class Base(msgspec.Struct, omit_defaults=True, rename="camel", kw_only=True, gc=False):
    """Base for nested API values: camelCase JSON, defaults omitted, keyword-only construction.

    `gc=False`: API values are trees (they never reference their parents), so they cannot form
    reference cycles and need not be tracked by the cycle collector. With 100k cached pods this
    keeps a full collection in milliseconds instead of seconds."""


class OwnerReference(Base):
    """Empty defaults as Go's JSON decoding leaves them: a missing field is a validation error (GC-1)."""

    api_version: str = ""
    kind: str = ""
    name: str = ""
    uid: str = ""
    controller: bool | None = None
    block_owner_deletion: bool | None = None


class ManagedFieldsEntry(Base):
    manager: str = ""
    operation: str = ""
    api_version: str = ""
    time: str | None = None
    fields_type: str = ""
    # fieldsV1 is a schemaless trie of field paths by definition, so it stays raw.
    fields_v1: dict[str, Any] | None = None
    subresource: str = ""


class ObjectMeta(Base):
    name: str = ""
    generate_name: str = ""
    namespace: str = ""
    uid: str = ""
    resource_version: str = ""
    generation: int = 0
    creation_timestamp: str | None = None
    deletion_timestamp: str | None = None
    deletion_grace_period_seconds: int | None = None
    labels: dict[str, str] = {}
    annotations: dict[str, str] = {}
    owner_references: Annotated[list[OwnerReference], MergeKey("uid")] = []
    finalizers: Annotated[list[str], MergeSet()] = []
    managed_fields: list[ManagedFieldsEntry] = []


class ListMeta(Base):
    resource_version: str = ""
    continue_: str = msgspec.field(default="", name="continue")
    remaining_item_count: int | None = None


class TypeMeta(msgspec.Struct, omit_defaults=True, rename="camel", kw_only=True, tag_field="kind", gc=False):
    """Base for everything that carries `kind` (the class name, always encoded) and `apiVersion`."""

    api_version: str = ""


class Object(TypeMeta):
    """Base for top-level kinds. Subclasses redeclare `api_version` with their group/version."""

    metadata: ObjectMeta = msgspec.field(default_factory=ObjectMeta)


class LabelSelectorRequirement(Base):
    key: str
    operator: str
    values: list[str] = []


class LabelSelector(Base):
    """A structured selector. `{}` selects everything; an absent (None) selector selects nothing."""

    match_labels: dict[str, str] = {}
    match_expressions: list[LabelSelectorRequirement] = []


class Condition(Base):
    """meta/v1 Condition, used by newer kinds; core and apps kinds have their own condition types."""

    type: str
    status: str
    observed_generation: int = 0
    last_transition_time: str | None = None
    reason: str = msgspec.field(default_factory=str)
    message: str = msgspec.field(default_factory=str)


class StatusCause(Base):
    reason: str = ""
    message: str = ""
    field: str = ""


class StatusDetails(Base):
    name: str = ""
    group: str = ""
    kind: str = ""
    uid: str = ""
    causes: list[StatusCause] = []
    retry_after_seconds: int = 0


class Status(TypeMeta):
    """The meta/v1 Status returned for errors and for some successful deletes."""

    api_version: str = msgspec.field(default_factory=lambda: "v1")
    metadata: ListMeta = msgspec.field(default_factory=ListMeta)
    status: str = ""
    message: str = ""
    reason: str = ""
    details: StatusDetails | None = None
    code: int = 0


class Preconditions(Base):
    uid: str | None = None
    resource_version: str | None = None


class DeleteOptions(TypeMeta):
    api_version: str = msgspec.field(default_factory=lambda: "v1")
    grace_period_seconds: int | None = None
    preconditions: Preconditions | None = None
    orphan_dependents: bool | None = None
    propagation_policy: str | None = None
    dry_run: list[str] = []
