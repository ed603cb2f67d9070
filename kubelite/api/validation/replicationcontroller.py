"""Validation of core/v1 ReplicationControllers (RS-1, RS-11).

DNS-1123 subdomain name; `replicas` and `minReadySeconds` ≥ 0; the equality-only selector must be
non-empty (defaulting copies the template labels into an empty one) and select the template's
labels; the template is required, restarts `Always` and sets no `activeDeadlineSeconds`. Unlike
apps/v1 ReplicaSets, an RC's selector may change on update. Pure functions.
"""

from __future__ import annotations

from kubelite.api.core.replicationcontroller import ReplicationController
from kubelite.api.errors import FieldError, invalid, required
from kubelite.api.validation import names
from kubelite.api.validation.fields import nonnegative, shown
from kubelite.api.validation.objectmeta import validate_object_meta
from kubelite.api.validation.selectors import MISMATCH
from kubelite.api.validation.workloads import replica_template


def validate_replication_controller(controller: ReplicationController) -> list[FieldError]:
    spec = controller.spec
    errors = validate_object_meta(controller.metadata, namespaced=True, name_fn=names.subdomain_name)
    errors += nonnegative(spec.min_ready_seconds, "spec.minReadySeconds")
    if not spec.selector:
        errors.append(required("spec.selector"))
    errors += nonnegative(spec.replicas, "spec.replicas")
    template = spec.template
    if template is None:
        return [*errors, required("spec.template")]
    labels = template.metadata.labels
    if spec.selector and any(labels.get(key) != value for key, value in spec.selector.items()):
        errors.append(invalid(shown(labels), "spec.template.metadata.labels", MISMATCH))
    return errors + replica_template(template, "spec.template", "ReplicationController")
