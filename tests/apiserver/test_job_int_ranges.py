"""JOB-1: a Job's Go `int32` / `int64` spec numbers refuse values out of range (Go's decoder
never stores them): 422 with the field's cause, nothing stored (a create) or changed (a patch).
The largest values in range are accepted. Checked by validation rather than at decoding, so a
store written before this check still loads."""

from __future__ import annotations

from typing import Any

import pytest

from kubelite.api.batch import Job
from kubelite.api.errors import Invalid, NotFound
from kubelite.apiserver import APIServer

pytestmark = pytest.mark.anyio
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1
MERGE = "application/merge-patch+json"


def body(name: str, **spec: Any) -> dict[str, Any]:
    template = {
        "spec": {
            "restartPolicy": "Never",
            "containers": [{"name": "w", "image": "busybox", "command": ["sh", "-c", "exit 0"]}],
        }
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"suspend": True, "template": template, **spec},
    }


OUT_OF_RANGE = [
    ("parallelism", MAX_INT32 + 1, MAX_INT32),
    ("completions", MAX_INT32 + 1, MAX_INT32),
    ("backoffLimit", MAX_INT32 + 1, MAX_INT32),
    ("ttlSecondsAfterFinished", MAX_INT32 + 1, MAX_INT32),
    ("activeDeadlineSeconds", MAX_INT64 + 1, MAX_INT64),
]


@pytest.mark.parametrize(("field", "value", "bound"), OUT_OF_RANGE, ids=[row[0] for row in OUT_OF_RANGE])
async def test_job1_out_of_range_spec_numbers_are_invalid(
    server: APIServer, field: str, value: int, bound: int
) -> None:
    with pytest.raises(Invalid) as caught:
        await server.create(Job, body("big", **{field: value}), "default")
    assert caught.value.message == (
        f'Job.batch "big" is invalid: spec.{field}: Invalid value: {value}: '
        f"must be less than or equal to {bound}"
    )
    with pytest.raises(NotFound):
        await server.get(Job, "big", "default")


async def test_job1_an_out_of_range_exit_code_in_a_pod_failure_policy_is_invalid(server: APIServer) -> None:
    rule = {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1, MAX_INT32 + 1]}}
    with pytest.raises(Invalid) as caught:
        await server.create(Job, body("big", podFailurePolicy={"rules": [rule]}), "default")
    assert caught.value.message == (
        'Job.batch "big" is invalid: spec.podFailurePolicy.rules[0].onExitCodes.values[1]: '
        f"Invalid value: {MAX_INT32 + 1}: must be less than or equal to {MAX_INT32}"
    )


async def test_job1_a_patch_out_of_range_changes_nothing_and_the_maxima_are_accepted(
    server: APIServer,
) -> None:
    maxima = {"parallelism": MAX_INT32, "backoffLimit": MAX_INT32, "activeDeadlineSeconds": MAX_INT64}
    created = await server.create(Job, body("top", **maxima), "default")
    assert isinstance(created, Job)
    spec = created.spec
    assert (spec.parallelism, spec.backoff_limit, spec.active_deadline_seconds) == (
        MAX_INT32,
        MAX_INT32,
        MAX_INT64,
    )
    with pytest.raises(Invalid, match=r"spec.parallelism: Invalid value: 2147483648"):
        await server.patch(Job, "top", {"spec": {"parallelism": MAX_INT32 + 1}}, MERGE, "default")
    after = await server.get(Job, "top", "default")
    assert isinstance(after, Job)
    assert after.metadata.resource_version == created.metadata.resource_version
