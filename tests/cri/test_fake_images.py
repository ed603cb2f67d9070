"""`FakeImageService`: reference normalisation, scripted pull latency and failures, removal."""

from __future__ import annotations

import anyio
import pytest

from kubelite.clock import FakeClock
from kubelite.cri import CRIError, ImageFilter, ImagePullError, ImageSpec, RuntimeUnavailable
from kubelite.cri.fake import FakeImageService, normalise

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1.36", "docker.io/library/busybox:1.36"),
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("bitnami/nginx:1.25", "docker.io/bitnami/nginx:1.25"),
        ("registry.k8s.io/pause:3.9", "registry.k8s.io/pause:3.9"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("localhost/app", "localhost/app:latest"),
        ("busybox@sha256:abc", "docker.io/library/busybox@sha256:abc"),
    ],
    ids=["bare", "tag", "full", "library", "user", "registry", "registry-port", "localhost", "digest"],
)
def test_normalise(reference: str, expected: str) -> None:
    assert normalise(reference) == expected


async def test_spellings_of_one_image_are_one_image() -> None:
    images = FakeImageService(FakeClock(), present=["busybox"])
    infos = [await images.image_status(ImageSpec(image=name)) for name in ("busybox", "busybox:latest")]
    assert infos[0] is not None and infos[0] == infos[1]
    assert images.has("docker.io/library/busybox:latest") and not images.has("busybox:1.36")
    assert len(await images.list_images()) == 1
    assert infos[0].id.startswith("sha256:") and len(infos[0].id) == 71
    assert FakeImageService(FakeClock(), present=["busybox"]).lookup("busybox") == infos[0]  # deterministic


async def test_pull_takes_the_scripted_latency_on_the_clock() -> None:
    clock = FakeClock()
    images = FakeImageService(clock, pull_latency=1.0)
    images.set_pull("nginx", latency=30.0)
    pulled: dict[str, float] = {}

    async def pull(name: str) -> None:
        await images.pull_image(ImageSpec(image=name))
        pulled[name] = clock.monotonic()

    async with anyio.create_task_group() as group:
        group.start_soon(pull, "nginx:latest")
        group.start_soon(pull, "redis")
        await clock.run_until(lambda: len(pulled) == 2)
    assert pulled == {"nginx:latest": 30.0, "redis": 1.0}
    assert images.has("nginx") and images.has("redis:latest")


async def test_scripted_pull_failure_and_its_reset() -> None:
    images = FakeImageService(FakeClock())
    images.set_pull("private/app:1", error="pull access denied")
    with pytest.raises(ImagePullError, match="pull access denied"):
        await images.pull_image(ImageSpec(image="private/app:1"))
    assert not images.has("private/app:1")
    images.set_pull("private/app:1")
    image_id = await images.pull_image(ImageSpec(image="private/app:1"))
    found = images.lookup(image_id)
    assert found is not None and found.repo_tags == ("docker.io/private/app:1",)


async def test_remove_by_name_or_id_is_idempotent() -> None:
    images = FakeImageService(FakeClock(), present=["busybox:1.36", "nginx"])
    nginx = images.lookup("nginx")
    assert nginx is not None
    await images.remove_image(ImageSpec(image=nginx.id))
    await images.remove_image(ImageSpec(image="nginx"))
    await images.remove_image(ImageSpec(image="busybox:1.36"))
    assert await images.list_images() == []
    assert await images.list_images(ImageFilter(image="busybox:1.36")) == []


async def test_image_service_error_injection() -> None:
    images = FakeImageService(FakeClock(), present=["busybox"])
    images.fail_next("list_images", RuntimeUnavailable("down"))
    with pytest.raises(CRIError):
        await images.list_images()
    assert len(await images.list_images()) == 1
