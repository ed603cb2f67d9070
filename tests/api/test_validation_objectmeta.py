"""Metadata validation: API-1, API-5, API-6, API-7, GC-1, GC-7 (exact Kubernetes messages)."""

from __future__ import annotations

import msgspec
import pytest

from kubelite.api.meta import ObjectMeta, OwnerReference
from kubelite.api.validation import names
from kubelite.api.validation.objectmeta import validate_object_meta, validate_object_meta_update

SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
    "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    r"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
NAME_PART = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)


def ref(name: str = "web", *, controller: bool | None = None, **changes: str) -> OwnerReference:
    owner = OwnerReference(
        api_version="apps/v1", kind="ReplicaSet", name=name, uid=f"uid-{name}", controller=controller
    )
    return msgspec.structs.replace(owner, **changes)


def errors_of(meta: ObjectMeta, namespaced: bool | None = True) -> list[str]:
    return [str(e) for e in validate_object_meta(meta, namespaced=namespaced, name_fn=names.subdomain_name)]


def test_valid_metadata_is_accepted() -> None:
    meta = ObjectMeta(
        name="web",
        namespace="default",
        labels={"app": "web", "example.com/tier": ""},
        annotations={"Example.com/Note": "x" * 1000},
        owner_references=[ref(controller=True), ref("other")],
        finalizers=["example.com/hold", "orphan"],
    )
    assert errors_of(meta) == []


def test_api1_uid_and_creation_timestamp_are_not_validated_on_create() -> None:
    meta = ObjectMeta(name="web", namespace="default", uid="not-a-uuid", creation_timestamp="whenever")
    assert errors_of(meta) == []


CASES = [
    (
        "api5-no-name",
        ObjectMeta(namespace="default"),
        ["metadata.name: Required value: name or generateName is required"],
    ),
    (
        "api6-bad-name",
        ObjectMeta(name="Web!", namespace="default"),
        [f'metadata.name: Invalid value: "Web!": {SUBDOMAIN}'],
    ),
    (
        "api5-bad-generate-name",
        ObjectMeta(name="x", generate_name="Web-", namespace="default"),
        [f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN}'],
    ),
    ("namespace-required", ObjectMeta(name="web"), ["metadata.namespace: Required value"]),
    (
        "namespace-bad",
        ObjectMeta(name="web", namespace="a.b"),
        ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
    ),
    (
        "api7-label-key",
        ObjectMeta(name="web", namespace="default", labels={"bad key": "v"}),
        [f'metadata.labels: Invalid value: "bad key": {NAME_PART}'],
    ),
    (
        "api7-label-value",
        ObjectMeta(name="web", namespace="default", labels={"k": "x" * 64}),
        [f'metadata.labels: Invalid value: "{"x" * 64}": must be no more than 63 characters'],
    ),
    (
        "api7-annotation-key",
        ObjectMeta(name="web", namespace="default", annotations={"a b": ""}),
        [f'metadata.annotations: Invalid value: "a b": {NAME_PART}'],
    ),
    (
        "api7-annotation-size",
        ObjectMeta(name="web", namespace="default", annotations={"k": "x" * 262144}),
        ["metadata.annotations: Too long: may not be more than 262144 bytes"],
    ),
    (
        "gc1-owner-fields",
        ObjectMeta(
            name="web", namespace="default", owner_references=[ref(api_version="", kind="", name="", uid="")]
        ),
        [
            'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
            'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
            'metadata.ownerReferences.name: Invalid value: "": must not be empty',
            'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
        ],
    ),
    (
        "gc1-owner-group-without-version",
        ObjectMeta(name="web", namespace="default", owner_references=[ref(api_version="apps/")]),
        ['metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty'],
    ),
    (
        "finalizer-not-qualified",
        ObjectMeta(name="web", namespace="default", finalizers=["hold"]),
        [
            'metadata.finalizers[0]: Invalid value: "hold": name is neither a standard finalizer name nor is it fully qualified'
        ],
    ),
    (
        "finalizer-orphan-and-foreground",
        ObjectMeta(name="web", namespace="default", finalizers=["orphan", "foregroundDeletion"]),
        [
            'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: '
            "finalizer orphan and foregroundDeletion cannot be both set"
        ],
    ),
    (
        "negative-generation",
        ObjectMeta(name="web", namespace="default", generation=-1),
        ["metadata.generation: Invalid value: -1: must be greater than or equal to 0"],
    ),
]


@pytest.mark.parametrize(("meta", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_metadata_rejections(meta: ObjectMeta, expected: list[str]) -> None:
    assert errors_of(meta) == expected


def test_gc1_only_one_controller_reference() -> None:
    meta = ObjectMeta(
        name="web",
        namespace="default",
        owner_references=[ref("a", controller=True), ref("b", controller=True)],
    )
    (error,) = errors_of(meta)
    assert error.startswith('metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1"')
    assert error.endswith(
        'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/a and ReplicaSet/b'
    )


def test_gc1_owner_reference_fields_left_out_of_the_json_are_validation_errors() -> None:
    """GC-1: as in Kubernetes, a reference missing apiVersion, name or uid in the request body decodes
    (Go's JSON leaves them empty) and is refused by validation (422) with each field's message, not
    as an undecodable body (400)."""
    body = b'{"name":"web","namespace":"default","ownerReferences":[{"kind":"ReplicaSet"}]}'
    meta = msgspec.json.decode(body, type=ObjectMeta)
    assert errors_of(meta) == [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]


def test_event_cannot_be_an_owner() -> None:
    meta = ObjectMeta(name="web", namespace="default", owner_references=[ref(api_version="v1", kind="Event")])
    (error,) = errors_of(meta)
    assert error.endswith(": /v1, Kind=Event is disallowed from being an owner")


@pytest.mark.parametrize(
    ("namespaced", "namespace", "expected"),
    [
        (False, "", []),
        (False, "default", ["metadata.namespace: Forbidden: not allowed on this type"]),
        (None, "", []),
        (None, "default", []),
    ],
    ids=["cluster-scoped", "cluster-scoped-with-namespace", "unknown-scope-empty", "unknown-scope-set"],
)
def test_namespace_scope(namespaced: bool | None, namespace: str, expected: list[str]) -> None:
    assert errors_of(ObjectMeta(name="web", namespace=namespace), namespaced) == expected


def stored(**changes: object) -> ObjectMeta:
    meta = ObjectMeta(name="web", namespace="default", uid="u1", creation_timestamp="2024-01-01T00:00:00Z")
    for key, value in changes.items():
        setattr(meta, key, value)
    return meta


UPDATE_CASES = [
    ("gc7-name", stored(name="other"), 'metadata.name: Invalid value: "other": field is immutable'),
    (
        "gc7-namespace",
        stored(namespace="kube-system"),
        'metadata.namespace: Invalid value: "kube-system": field is immutable',
    ),
    ("gc7-uid", stored(uid="u2"), 'metadata.uid: Invalid value: "u2": field is immutable'),
    (
        "gc7-creation-timestamp",
        stored(creation_timestamp="2030-01-01T00:00:00Z"),
        'metadata.creationTimestamp: Invalid value: "2030-01-01T00:00:00Z": field is immutable',
    ),
    (
        "gc7-deletion-timestamp-cleared",
        stored(),
        "metadata.deletionTimestamp: Invalid value: null: field is immutable",
    ),
]


@pytest.mark.parametrize(("new", "expected"), [c[1:] for c in UPDATE_CASES], ids=[c[0] for c in UPDATE_CASES])
def test_gc7_immutable_metadata(new: ObjectMeta, expected: str) -> None:
    old = stored(deletion_timestamp="2024-02-01T00:00:00Z") if "deletion" in expected else stored()
    new.deletion_timestamp = None
    assert [str(e) for e in validate_object_meta_update(new, old)] == [expected]


def test_gc7_no_new_finalizers_once_deleting() -> None:
    old = stored(deletion_timestamp="2024-02-01T00:00:00Z", finalizers=["example.com/a"])
    new = stored(
        deletion_timestamp="2024-02-01T00:00:00Z",
        finalizers=["example.com/a", "example.com/c", "example.com/b"],
    )
    assert [str(e) for e in validate_object_meta_update(new, old)] == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
        'found new finalizers []string{"example.com/b", "example.com/c"}'
    ]


def test_gc7_finalizers_may_be_removed_or_added_before_deletion() -> None:
    old = stored(finalizers=["example.com/a"])
    assert validate_object_meta_update(stored(finalizers=["example.com/b"]), old) == []
    deleting = stored(deletion_timestamp="2024-02-01T00:00:00Z", finalizers=["example.com/a"])
    assert validate_object_meta_update(stored(deletion_timestamp="2024-02-01T00:00:00Z"), deleting) == []


def test_update_accepts_label_and_annotation_changes() -> None:
    assert validate_object_meta_update(stored(labels={"a": "b"}, annotations={"c": "d"}), stored()) == []
