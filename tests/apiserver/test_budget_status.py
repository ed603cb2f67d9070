"""A PodDisruptionBudget's numbers at their bounds (NODE-16 counters; upstream policy/v1
`ValidatePodDisruptionBudgetStatusUpdate`): the four status counters cannot go negative (422,
nothing stored); the rule looks at a changed status only, so a spec edit over an old stored status
passes. Integers past Go's int32 (which upstream's decoder refuses) are a 422 too, in the spec's
IntOrString fields and in the counters."""

from __future__ import annotations

import pytest

from kubelite.api.errors import Invalid
from kubelite.api.meta import LabelSelector, ObjectMeta
from kubelite.api.policy import PodDisruptionBudget, PodDisruptionBudgetSpec
from kubelite.apiserver import APIServer

from .budgets import MERGE, budget, stored_budget, stored_with_allowed

pytestmark = pytest.mark.anyio
NEGATIVE = "must be greater than or equal to 0"


async def _patch_status(server: APIServer, status: dict[str, int]) -> None:
    await server.patch(PodDisruptionBudget, "web", {"status": status}, MERGE, "default", subresource="status")


async def test_node16_a_negative_disruptions_allowed_is_422_and_nothing_stored(server: APIServer) -> None:
    before = await budget(server, allowed=1)
    with pytest.raises(Invalid) as refused:
        await _patch_status(server, {"disruptionsAllowed": -1})
    assert refused.value.message == (
        f'PodDisruptionBudget.policy "web" is invalid: status.disruptionsAllowed: Invalid value: -1: {NEGATIVE}'
    )
    assert (await stored_budget(server)).metadata.resource_version == before.metadata.resource_version


async def test_node16_every_negative_counter_is_named(server: APIServer) -> None:
    await budget(server, allowed=1)
    sent = {"disruptionsAllowed": -1, "currentHealthy": -2, "desiredHealthy": -3, "expectedPods": -4}
    with pytest.raises(Invalid) as refused:
        await _patch_status(server, sent)
    causes = [(c.field, c.message) for c in refused.value.causes]
    assert causes == [
        (f"status.{field}", f"Invalid value: {value}: {NEGATIVE}") for field, value in sent.items()
    ]


async def test_node16_zero_counters_are_valid(server: APIServer) -> None:
    await budget(server, allowed=1)
    await _patch_status(
        server, {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}
    )
    assert (await stored_budget(server)).status.current_healthy == 0


async def test_node16_a_spec_edit_over_an_old_negative_status_passes(server: APIServer) -> None:
    """A status stored before the rule (put in the store directly) does not block spec writes,
    which keep the stored status."""
    await stored_with_allowed(server, await budget(server, allowed=1), -1)
    edited = await server.patch(PodDisruptionBudget, "web", {"spec": {"minAvailable": 1}}, MERGE, "default")
    assert isinstance(edited, PodDisruptionBudget)
    assert (edited.metadata.generation, edited.status.disruptions_allowed) == (2, -1)


INT32_MAX = 2_147_483_647
TOO_BIG = f"must be less than or equal to {INT32_MAX}"


@pytest.mark.parametrize("field", ["minAvailable", "maxUnavailable"])
async def test_node16_an_integer_past_int32_in_the_spec_is_422(server: APIServer, field: str) -> None:
    spec = PodDisruptionBudgetSpec(selector=LabelSelector(match_labels={"app": "web"}))
    setattr(spec, "min_available" if field == "minAvailable" else "max_unavailable", INT32_MAX + 1)
    body = PodDisruptionBudget(metadata=ObjectMeta(name="big", namespace="default"), spec=spec)
    with pytest.raises(Invalid) as refused:
        await server.create(PodDisruptionBudget, body, "default")
    assert refused.value.message == (
        f'PodDisruptionBudget.policy "big" is invalid: spec.{field}: Invalid value: {INT32_MAX + 1}: {TOO_BIG}'
    )
    spec = PodDisruptionBudgetSpec(
        selector=LabelSelector(match_labels={"app": "web"}), min_available=INT32_MAX
    )
    body = PodDisruptionBudget(metadata=ObjectMeta(name="max", namespace="default"), spec=spec)
    assert isinstance(await server.create(PodDisruptionBudget, body, "default"), PodDisruptionBudget)


async def test_node16_a_counter_past_int32_is_422(server: APIServer) -> None:
    before = await budget(server, allowed=1)
    with pytest.raises(Invalid) as refused:
        await _patch_status(server, {"expectedPods": INT32_MAX + 1})
    assert [(c.field, c.message) for c in refused.value.causes] == [
        ("status.expectedPods", f"Invalid value: {INT32_MAX + 1}: {TOO_BIG}")
    ]
    assert (await stored_budget(server)).metadata.resource_version == before.metadata.resource_version
