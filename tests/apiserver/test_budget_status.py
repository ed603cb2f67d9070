"""A PodDisruptionBudget's status writes (NODE-16 counters; upstream policy/v1
`ValidatePodDisruptionBudgetStatusUpdate`): the four counters cannot go negative (422, nothing
stored); the rule looks at a changed status only, so a spec edit over an old stored status passes."""

from __future__ import annotations

import pytest

from kubelite.api.errors import Invalid
from kubelite.api.policy import PodDisruptionBudget
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
