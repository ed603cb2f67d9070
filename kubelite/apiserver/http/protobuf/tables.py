"""Every generated message table (written by scripts/protobuf_schema.py)."""

from kubelite.apiserver.http.protobuf import (
    schema_apps,
    schema_authorization,
    schema_autoscaling,
    schema_batch,
    schema_coordination,
    schema_core_1,
    schema_core_2,
    schema_discovery,
    schema_meta,
    schema_policy,
    schema_runtime,
)

MODULES = (
    schema_apps,
    schema_authorization,
    schema_autoscaling,
    schema_batch,
    schema_coordination,
    schema_core_1,
    schema_core_2,
    schema_discovery,
    schema_meta,
    schema_policy,
    schema_runtime,
)
