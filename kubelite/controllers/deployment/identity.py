"""Which ReplicaSets belong to a Deployment, which one is new, and what a new one looks like
(DEP-6, DEP-7, DEP-9, DEP-10), pure.

- Which RSs the Deployment owns, adopts and releases is `kubelite.controllers.runtime.claims`
  (the RS-2 rules, for ReplicaSets).
- `split(template, owned)`: the new RS (the oldest owned RS whose template equals the Deployment's,
  ignoring `pod-template-hash`) and the old ones (DEP-7).
- `new_replica_set(deployment, hash, replicas, annotations)`: DEP-9's new RS.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from kubelite.api.apps import Deployment, ReplicaSet, ReplicaSetSpec
from kubelite.api.core import PodTemplateSpec
from kubelite.api.meta import LabelSelector, ObjectMeta, OwnerReference
from kubelite.controllers.deployment.hashing import equal_ignoring_hash
from kubelite.controllers.deployment.model import HASH_LABEL


def _age(rs: ReplicaSet) -> tuple[str, str]:
    return (rs.metadata.creation_timestamp or "", rs.metadata.name)


def split(
    template: PodTemplateSpec, owned: Sequence[ReplicaSet]
) -> tuple[ReplicaSet | None, list[ReplicaSet]]:
    ordered = sorted(owned, key=_age)
    new = next((rs for rs in ordered if equal_ignoring_hash(rs.spec.template, template)), None)
    return new, [rs for rs in ordered if rs is not new]


def deployment_reference(deployment: Deployment) -> OwnerReference:
    return OwnerReference(
        api_version="apps/v1",
        kind="Deployment",
        name=deployment.metadata.name,
        uid=deployment.metadata.uid,
        controller=True,
        block_owner_deletion=True,
    )


def new_replica_set(
    deployment: Deployment, hash_: str, replicas: int, annotations: dict[str, str]
) -> ReplicaSet:
    template = deployment.spec.template
    labels = {**template.metadata.labels, HASH_LABEL: hash_}
    hashed = msgspec.structs.replace(
        template, metadata=msgspec.structs.replace(template.metadata, labels=labels)
    )
    selector = deployment.spec.selector or LabelSelector()
    selector = msgspec.structs.replace(selector, match_labels={**selector.match_labels, HASH_LABEL: hash_})
    meta = ObjectMeta(
        name=f"{deployment.metadata.name}-{hash_}",
        namespace=deployment.metadata.namespace,
        labels=dict(labels),
        annotations=annotations,
        owner_references=[deployment_reference(deployment)],
    )
    spec = ReplicaSetSpec(
        replicas=replicas,
        min_ready_seconds=deployment.spec.min_ready_seconds,
        selector=selector,
        template=hashed,
    )
    return ReplicaSet(metadata=meta, spec=spec)
