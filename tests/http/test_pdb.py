"""PodDisruptionBudgets over HTTP: `POST pods/NAME/eviction` answers with upstream's codes and
Status bodies (NODE-15), and the real kubectl creates and lists budgets (`create pdb`, `get pdb`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from kubelite.api.core import Pod
from kubelite.api.policy import PodDisruptionBudget
from tests.apiserver.budgets import MERGE, budget, eviction, running_pod, stored_with_allowed
from tests.http.conftest import HTTPAPI, make_api
from tests.http.kubectl import Kubectl, require_kubectl, write_kubeconfig

pytestmark = pytest.mark.anyio
PODS = "/api/v1/namespaces/default/pods"
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


async def post_eviction(api: HTTPAPI, name: str, body: Any) -> tuple[int, dict[str, Any], str | None]:
    """(code, Status body, Retry-After header) of one eviction."""
    data = body if isinstance(body, bytes) else None
    json = None if isinstance(body, bytes) else body
    headers = {"Content-Type": "application/json"}
    url = f"{api.url}{PODS}/{name}/eviction"
    async with api.session.post(url, json=json, data=data, headers=headers) as response:
        return response.status, await response.json(content_type=None), response.headers.get("Retry-After")


def too_many(cause: str, retry_after: int = 0) -> dict[str, Any]:
    details: dict[str, Any] = {"causes": [{"reason": "DisruptionBudget", "message": cause}]}
    if retry_after:
        details["retryAfterSeconds"] = retry_after
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": VIOLATION,
        "reason": "TooManyRequests",
        "details": details,
        "code": 429,
    }


async def test_node15_eviction_201_then_429_over_http(api: HTTPAPI) -> None:
    """NODE-15 over HTTP: the spend answers 201 Success; with no disruption left, 429 with the
    DisruptionBudget cause and no Retry-After."""
    server = api.server
    await running_pod(server, "a")
    await running_pod(server, "b")
    await budget(server, allowed=1, current=2, desired=1)
    code, status, _ = await post_eviction(api, "a", eviction("a"))
    assert (code, status["status"], status["code"]) == (201, "Success", 201)
    code, status, retry = await post_eviction(api, "b", eviction("b"))
    assert (code, retry) == (429, None)
    assert status == too_many("The disruption budget web needs 1 healthy pods and has 2 currently")


async def test_node15_stale_budget_429_carries_retry_after_10(api: HTTPAPI) -> None:
    await running_pod(api.server, "a")
    await budget(api.server, allowed=1, observed=0)
    code, status, retry = await post_eviction(api, "a", eviction("a"))
    assert (code, retry) == (429, "10")
    assert status == too_many("The disruption budget web is still being processed by the server.", 10)


async def test_node15_negative_budget_403_and_two_budgets_500(api: HTTPAPI) -> None:
    server = api.server
    await running_pod(server, "a")
    await stored_with_allowed(server, await budget(server, allowed=1), -1)
    code, status, _ = await post_eviction(api, "a", eviction("a"))
    assert (code, status["reason"], status["message"]) == (
        403,
        "Forbidden",
        'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative',
    )
    assert status["details"] == {"name": "web", "group": "policy", "kind": "poddisruptionbudget"}
    await budget(server, "other", allowed=1, selector={})
    code, status, _ = await post_eviction(api, "a", eviction("a"))
    message = (
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    )
    assert (code, status) == (
        500,
        {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": message,
            "code": 500,
        },
    )


@pytest.mark.parametrize(
    ("body", "code", "reason"),
    [
        (b"{not json", 400, "BadRequest"),
        ({"apiVersion": "v1", "kind": "Eviction", "metadata": {"name": "a"}}, 400, "BadRequest"),
        (eviction("a", deleteOptions={"propagationPolicy": "Never"}), 422, "Invalid"),
    ],
    ids=["malformed-json", "wrong-version", "invalid-delete-options"],
)
async def test_node15_bad_eviction_bodies_over_http_leave_state_alone(
    api: HTTPAPI, body: Any, code: int, reason: str
) -> None:
    await running_pod(api.server, "a")
    pdb = await budget(api.server, allowed=1)
    got, status, _ = await post_eviction(api, "a", body)
    assert (got, status["kind"], status["reason"]) == (code, "Status", reason)
    pod = await api.server.get(Pod, "a", "default")
    assert pod.metadata.deletion_timestamp is None
    after = await api.server.get(PodDisruptionBudget, "web", "default")
    assert after.metadata.resource_version == pdb.metadata.resource_version


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[HTTPAPI, Kubectl]]:
    require_kubectl()
    async with make_api() as api:
        kubeconfig = write_kubeconfig(tmp_path, api.url)
        yield api, Kubectl(kubeconfig, tmp_path / "cache")


@pytest.mark.slow
async def test_kubectl_create_get_and_describe_pdb(served: tuple[HTTPAPI, Kubectl]) -> None:
    api, kubectl = served
    made = await kubectl.run("create", "pdb", "web", "--selector=app=web", "--min-available=2")
    assert (made.code, made.stdout) == (0, "poddisruptionbudget.policy/web created\n")
    made = await kubectl.run("create", "pdb", "db", "--selector=app=db", "--max-unavailable=50%")
    assert (made.code, made.stdout) == (0, "poddisruptionbudget.policy/db created\n")
    stored = await api.server.get(PodDisruptionBudget, "web", "default")
    assert isinstance(stored, PodDisruptionBudget)
    assert (
        stored.spec.min_available,
        stored.spec.selector.match_labels if stored.spec.selector else None,
    ) == (
        2,
        {"app": "web"},
    )
    status = {"status": {"observedGeneration": 1, "disruptionsAllowed": 1, "currentHealthy": 3}}
    await api.server.patch(PodDisruptionBudget, "web", status, MERGE, "default", subresource="status")
    api.clock.advance(90)
    listed = await kubectl.run("get", "pdb")
    assert listed.code == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE",
        "db     N/A             50%               0                     90s",
        "web    2               N/A               1                     90s",
    ]
    described = await kubectl.run("describe", "pdb", "web")
    assert described.code == 0, described.stderr
    assert described.stdout.splitlines() == [
        "Name:           web",
        "Namespace:      default",
        "Min available:  2",
        "Selector:       app=web",
        "Status:",
        "    Allowed disruptions:  1",
        "    Current:              3",
        "    Desired:              0",
        "    Total:                0",
        "Events:                   <none>",
    ]
    bad = await kubectl.run("create", "pdb", "bad", "--selector=app=web", "--min-available=101%")
    assert bad.code == 1
    assert "spec.minAvailable: Invalid value" in bad.stderr and "must not be greater than 100%" in bad.stderr
