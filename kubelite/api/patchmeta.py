"""Strategic-merge-patch metadata carried on field types.

Kubernetes' Go types tag list fields with `patchStrategy` and `patchMergeKey`. kubelite carries the
same facts as `typing.Annotated` metadata on struct fields, where msgspec ignores them and the
strategic merge engine (`kubelite.apiserver.patch.strategic`) reads them:

    containers: Annotated[list[Container], MergeKey("name")] = []
    finalizers: Annotated[list[str], MergeSet()] = []

A list field without either marker is atomic: a patch replaces it whole. Struct and map fields merge
key by key. This module imports nothing from kubelite.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MergeKey:
    """A list of objects merged element-wise, elements matched by the value of `key`."""

    key: str


@dataclass(frozen=True, slots=True)
class MergeSet:
    """A list of scalars merged as a set union (order kept, duplicates dropped)."""


@dataclass(frozen=True, slots=True)
class RetainKeys:
    """A struct honouring the `$retainKeys` directive (e.g. a Deployment's `strategy`)."""
