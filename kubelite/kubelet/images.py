"""Image pulls by policy, with back-off (KUB-2, KUB-3).

Contract: `ImageManager(images, backoff, clock)`; `ensure(pod, container)` makes the container's
image present per its `imagePullPolicy` (empty → KUB-2's default for the reference) and returns
None, or a `Waiting` reason and message to show on the container: `ErrImageNeverPull`,
`ErrImagePull` (the pull just failed), `ImagePullBackOff` (a retry is not due yet) or
`InvalidImageName`. `Waiting.retry_in` says when to try again. Pull back-off is kept per pod UID
and image (10 s doubling to 300 s). Emits the kubelet's Pulling/Pulled/Failed/BackOff events
through the `record` callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kubelite.api.core import Container, Pod
from kubelite.clock import Clock
from kubelite.cri import ImagePullError, ImageService, ImageSpec
from kubelite.kubelet.backoff import Backoff

Record = Callable[[str, str, str], None]
"""`record(type, reason, message)`: an event about the pod."""

_REFERENCE = re.compile(r"^[a-z0-9]+([._/:@-][a-zA-Z0-9_.+-]+)*$")


@dataclass(frozen=True, slots=True)
class Waiting:
    reason: str
    message: str
    retry_in: float | None = None


def default_policy(image: str) -> str:
    """KUB-2: Always for `latest` or no tag (and no digest), IfNotPresent otherwise."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    tag = last.partition(":")[2]
    return "Always" if tag in ("", "latest") else "IfNotPresent"


class ImageManager:
    def __init__(self, images: ImageService, backoff: Backoff, clock: Clock) -> None:
        self._images = images
        self._backoff = backoff
        self._clock = clock
        self._failed_at: dict[str, float] = {}

    async def ensure(self, pod: Pod, container: Container, record: Record) -> Waiting | None:
        image = container.image
        if not image or not _REFERENCE.match(image):
            return Waiting(
                "InvalidImageName", f'Failed to apply default image tag "{image}": invalid reference'
            )
        policy = container.image_pull_policy or default_policy(image)
        present = await self._images.image_status(ImageSpec(image=image)) is not None
        if policy == "Never" and not present:
            message = f'Container image "{image}" is not present with pull policy of Never'
            record("Warning", "ErrImageNeverPull", message)
            return Waiting("ErrImageNeverPull", message)
        if policy != "Always" and present:
            record("Normal", "Pulled", f'Container image "{image}" already present on machine')
            return None
        return await self._pull(pod.metadata.uid, image, record)

    def forget(self, uid: str) -> None:
        self._backoff.forget_prefix(uid + "/")
        for key in [key for key in self._failed_at if key.startswith(uid + "/")]:
            del self._failed_at[key]

    async def _pull(self, uid: str, image: str, record: Record) -> Waiting | None:
        key = f"{uid}/{image}"
        failed_at = self._failed_at.get(key)
        if failed_at is not None and self._backoff.in_backoff_since(key, failed_at):
            message = f'Back-off pulling image "{image}"'
            record("Normal", "BackOff", message)
            return Waiting("ImagePullBackOff", message, self._backoff.remaining(key, failed_at))
        record("Normal", "Pulling", f'Pulling image "{image}"')
        started = self._clock.now()
        try:
            await self._images.pull_image(ImageSpec(image=image))
        except ImagePullError as err:
            now = self._clock.now()
            self._failed_at[key] = now
            delay = self._backoff.next(key, now)
            record("Warning", "Failed", f'Failed to pull image "{image}": {err}')
            return Waiting("ErrImagePull", str(err), delay)
        self._failed_at.pop(key, None)
        self._backoff.forget(key)
        took = self._clock.now() - started
        record("Normal", "Pulled", f'Successfully pulled image "{image}" in {took:.3f}s')
        return None
