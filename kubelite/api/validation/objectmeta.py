"""Validation of `metadata`: names, namespaces, labels, annotations, ownerReferences, finalizers.

`validate_object_meta` is run on create (and again on update) with the kind's name rule
(`names.NameFn`) and scope. It expects generateName to have been applied already (API-5), so an
empty name means neither was given. uid and creationTimestamp are server-set and not checked here
(API-1). `validate_object_meta_update` adds the update rules: name, namespace, uid,
creationTimestamp, deletionTimestamp and deletionGracePeriodSeconds are immutable, and no finalizer
may be added once deletion has started (GC-7). resourceVersion and generation are owned by the
apiserver and not checked. Messages and field paths are Kubernetes' (apimachinery `objectmeta.go`).
"""

from __future__ import annotations

import functools

from kubelite.api.errors import FieldError, forbidden, invalid, required, too_long
from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.api.validation import names
from kubelite.api.validation.fields import go_strings, immutable, messages, nonnegative, shown

TOTAL_ANNOTATION_SIZE = 256 * 1024
STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})
_BANNED_OWNERS = frozenset({("", "v1", "Event")})


def validate_object_meta(
    meta: ObjectMeta, *, namespaced: bool | None, name_fn: names.NameFn, path: str = "metadata"
) -> list[FieldError]:
    """Create-time metadata checks. `namespaced=None` (unknown scope) skips the namespace rule."""
    errors: list[FieldError] = []
    if meta.generate_name:
        problems = name_fn(meta.generate_name, True)
        errors += messages(meta.generate_name, f"{path}.generateName", problems)
    if not meta.name:
        errors.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errors += messages(meta.name, f"{path}.name", name_fn(meta.name, False))
    errors += _namespace(meta.namespace, namespaced, f"{path}.namespace")
    return errors + _common(meta, path)


def validate_object_meta_update(new: ObjectMeta, old: ObjectMeta, path: str = "metadata") -> list[FieldError]:
    errors: list[FieldError] = []
    if old.deletion_timestamp is not None:
        errors += _no_new_finalizers(new.finalizers, old.finalizers, f"{path}.finalizers")
    errors += immutable(new.name, old.name, f"{path}.name")
    errors += immutable(new.namespace, old.namespace, f"{path}.namespace")
    errors += immutable(new.uid, old.uid, f"{path}.uid")
    errors += immutable(new.creation_timestamp, old.creation_timestamp, f"{path}.creationTimestamp")
    errors += immutable(new.deletion_timestamp, old.deletion_timestamp, f"{path}.deletionTimestamp")
    grace_path = f"{path}.deletionGracePeriodSeconds"
    errors += immutable(new.deletion_grace_period_seconds, old.deletion_grace_period_seconds, grace_path)
    return errors + _common(new, path)


def validate_labels(labels: dict[str, str], path: str) -> list[FieldError]:
    """API-7: each key is a qualified name, each value a label value; all errors at `path`.

    Memoised by content: objects stamped from one template repeat the same label sets."""
    if not labels:
        return []
    return list(_labels_errors(tuple(labels.items()), path))


@functools.lru_cache(maxsize=4096)
def _labels_errors(items: tuple[tuple[str, str], ...], path: str) -> tuple[FieldError, ...]:
    labels = dict(items)
    errors: list[FieldError] = []
    for key in sorted(labels):
        errors += messages(key, path, names.is_qualified_name(key))
        errors += messages(labels[key], path, names.is_label_value(labels[key]))
    return tuple(errors)


def validate_annotations(annotations: dict[str, str], path: str) -> list[FieldError]:
    """API-7: keys follow the label-key rule (case-insensitively); the total size is bounded."""
    if not annotations:
        return []
    size = sum(len(k.encode()) + len(v.encode()) for k, v in annotations.items())
    return list(_annotation_errors(tuple(sorted(annotations)), size > TOTAL_ANNOTATION_SIZE, path))


@functools.lru_cache(maxsize=4096)
def _annotation_errors(keys: tuple[str, ...], oversized: bool, path: str) -> tuple[FieldError, ...]:
    errors: list[FieldError] = []
    for key in keys:
        errors += messages(key, path, names.is_qualified_name(key.lower()))
    if oversized:
        errors.append(too_long("", path, TOTAL_ANNOTATION_SIZE))
    return tuple(errors)


def validate_owner_references(refs: list[OwnerReference], path: str) -> list[FieldError]:
    """GC-1: apiVersion, kind, name and uid are required; at most one controller."""
    errors: list[FieldError] = []
    first_controller = ""
    for ref in refs:
        errors += _owner_reference(ref, path)
        if not ref.controller:
            continue
        current = f"{ref.kind}/{ref.name}"
        if first_controller:
            detail = (
                'Only one reference can have Controller set to true. Found "true" in references for '
                f"{first_controller} and {current}"
            )
            errors.append(invalid(shown(refs), path, detail))
        else:
            first_controller = current
    return errors


def _owner_reference(ref: OwnerReference, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    group, version = _group_version(ref.api_version)
    if not version:
        errors.append(invalid(ref.api_version, f"{path}.apiVersion", "version must not be empty"))
    if not ref.kind:
        errors.append(invalid(ref.kind, f"{path}.kind", "must not be empty"))
    if not ref.name:
        errors.append(invalid(ref.name, f"{path}.name", "must not be empty"))
    if not ref.uid:
        errors.append(invalid(ref.uid, f"{path}.uid", "must not be empty"))
    if (group, version, ref.kind) in _BANNED_OWNERS:
        detail = f"{group}/{version}, Kind={ref.kind} is disallowed from being an owner"
        errors.append(invalid(shown(ref), path, detail))
    return errors


def _group_version(api_version: str) -> tuple[str, str]:
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", ""


def validate_finalizers(finalizers: list[str], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, finalizer in enumerate(finalizers):
        errors += messages(finalizer, path, names.is_qualified_name(finalizer))
        if "/" not in finalizer and finalizer not in STANDARD_FINALIZERS:
            detail = "name is neither a standard finalizer name nor is it fully qualified"
            errors.append(invalid(finalizer, f"{path}[{index}]", detail))
    if "orphan" in finalizers and "foregroundDeletion" in finalizers:
        detail = "finalizer orphan and foregroundDeletion cannot be both set"
        errors.append(invalid(shown(finalizers), path, detail))
    return errors


def _namespace(namespace: str, namespaced: bool | None, path: str) -> list[FieldError]:
    if namespaced is False:
        return [forbidden(path, "not allowed on this type")] if namespace else []
    if not namespace:
        return [required(path)] if namespaced else []
    return messages(namespace, path, names.label_name(namespace, False))


def _common(meta: ObjectMeta, path: str) -> list[FieldError]:
    errors = nonnegative(meta.generation, f"{path}.generation")
    errors += validate_labels(meta.labels, f"{path}.labels")
    errors += validate_annotations(meta.annotations, f"{path}.annotations")
    errors += validate_owner_references(meta.owner_references, f"{path}.ownerReferences")
    return errors + validate_finalizers(meta.finalizers, f"{path}.finalizers")


def _no_new_finalizers(new: list[str], old: list[str], path: str) -> list[FieldError]:
    extra = sorted(set(new) - set(old))
    if not extra:
        return []
    detail = "no new finalizers can be added if the object is being deleted, found new finalizers "
    detail += go_strings(extra)
    return [forbidden(path, detail)]
