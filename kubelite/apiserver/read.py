"""GET and LIST: reads of committed state only (nothing a crash could take back).

Selectors: `label_selector` uses the string syntax of API-8, `field_selector` the field labels the
kind supports (`metadata.name`, `metadata.namespace` everywhere; `spec.nodeName`, `status.phase`, …
for pods; `involvedObject.*` for events). A malformed selector or an unsupported field label is a
400 BadRequest. Lists are sorted by (namespace, name) and carry the revision to watch from.
"""

from __future__ import annotations

from kubelite.api.errors import BadRequest
from kubelite.api.fields import FieldSelector, parse_field_selector
from kubelite.api.labels import Selector, parse_selector
from kubelite.api.meta import Object
from kubelite.api.registry import ResourceInfo
from kubelite.api.results import ObjectList
from kubelite.apiserver.core import ServerCore


async def get(core: ServerCore, info: ResourceInfo, name: str, namespace: str) -> Object:
    """The committed object. A write to it that is accepted but not yet committed is waited for,
    so a GET after a 409 Conflict returns the version the conflict was against."""
    namespace = core.request_namespace(info, namespace)
    await core.storage.settled(core.key(info, namespace, name))
    return core.committed(info, namespace, name)


def parse_label_selector(text: str | None) -> Selector | None:
    if not text:
        return None
    try:
        return parse_selector(text)
    except ValueError as err:
        raise BadRequest(str(err)) from err


def parse_fields(info: ResourceInfo, text: str | None) -> FieldSelector | None:
    if not text:
        return None
    try:
        selector = parse_field_selector(text)
        selector.check_supported(info.kind)
    except ValueError as err:
        raise BadRequest(str(err)) from err
    return selector


def matcher(labels: Selector | None, fields: FieldSelector | None) -> Matcher:
    return Matcher(labels, fields)


class Matcher:
    """Both selectors together; `None` parts match everything."""

    __slots__ = ("fields", "labels")

    def __init__(self, labels: Selector | None, fields: FieldSelector | None) -> None:
        self.labels = labels
        self.fields = fields

    @property
    def everything(self) -> bool:
        return self.labels is None and self.fields is None

    def __call__(self, obj: Object) -> bool:
        if self.labels is not None and not self.labels.matches(obj.metadata.labels):
            return False
        return self.fields is None or self.fields.matches(obj)


async def list_objects(
    core: ServerCore,
    info: ResourceInfo,
    namespace: str | None,
    label_selector: str | None = None,
    field_selector: str | None = None,
) -> ObjectList[Object]:
    match = matcher(parse_label_selector(label_selector), parse_fields(info, field_selector))
    scope = namespace if info.namespaced and namespace else None
    records, revision = core.storage.list(info.qualified_plural, scope)
    items = [core.load(info, record) for record in records]
    if not match.everything:
        items = [item for item in items if match(item)]
    return ObjectList(items=items, resource_version=str(revision))
