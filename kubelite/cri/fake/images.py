"""An in-memory image store with scriptable pulls.

Contract: references are normalised as Docker does (`busybox`, `busybox:latest` and
`docker.io/library/busybox:latest` are one image), so every method accepts any spelling, and an
image's content id (`sha256:<64 hex>`) too. Ids and sizes are derived from the normalised name, so
they are the same on every run. `pull_image` waits the image's scripted latency (or
`pull_latency`) on the clock, then fails with `ImagePullError` if a failure is scripted for that
image, else records the image and returns its id. Scripts set with `set_pull` last until replaced.
`remove_image` is idempotent (as the CRI's RemoveImage is). Returned structs are fresh values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import msgspec

from kubelite.clock import Clock
from kubelite.cri.errors import CRIError, ImagePullError
from kubelite.cri.fake.faults import FaultPlan
from kubelite.cri.image import ImageFilter, ImageInfo, ImageSpec

_DEFAULT_REGISTRY = "docker.io"
_METHODS = ("list_images", "image_status", "pull_image", "remove_image")


def normalise(reference: str) -> str:
    """The fully qualified form of an image reference (`registry/repository:tag` or `...@digest`)."""
    name, at, digest = reference.strip().partition("@")
    first, slash, _ = name.partition("/")
    if not slash:
        name = f"{_DEFAULT_REGISTRY}/library/{name}"
    elif not ("." in first or ":" in first or first == "localhost"):
        name = f"{_DEFAULT_REGISTRY}/{name}"
    if at:
        return f"{name}@{digest}"
    last = name.rsplit("/", 1)[-1]
    return name if ":" in last else f"{name}:latest"


class _PullScript(msgspec.Struct, frozen=True, gc=False):
    latency: float | None
    error: str | None


class FakeImageService:
    """Implements `kubelite.cri.ImageService` in memory."""

    def __init__(self, clock: Clock, *, present: Iterable[str] = (), pull_latency: float = 0.0) -> None:
        self._clock = clock
        self._pull_latency = pull_latency
        self._images: dict[str, ImageInfo] = {}
        self._scripts: dict[str, _PullScript] = {}
        self._faults = FaultPlan(_METHODS)
        for reference in present:
            self._add(normalise(reference))

    def set_pull(self, image: str, *, latency: float | None = None, error: str | None = None) -> None:
        """Script pulls of `image`: they take `latency` seconds (default: `pull_latency`) on the clock,
        then fail with `ImagePullError(error)` when `error` is given. Both None restores the default."""
        key = normalise(image)
        if latency is None and error is None:
            self._scripts.pop(key, None)
        else:
            self._scripts[key] = _PullScript(latency=latency, error=error)

    def fail_next(self, method: str, error: CRIError, times: int = 1) -> None:
        """The next `times` calls of the ImageService method `method` raise `error`."""
        self._faults.fail_next(method, error, times)

    def has(self, image: str) -> bool:
        """Whether `image` (any spelling, or an id) is present."""
        return self.lookup(image) is not None

    def lookup(self, image: str) -> ImageInfo | None:
        """The present image named `image` (any spelling, or its id), or None."""
        found = self._find(image)
        return None if found is None else found[1]

    async def list_images(self, filter: ImageFilter | None = None) -> list[ImageInfo]:
        self._faults.check("list_images")
        if filter is not None and filter.image:
            found = self.lookup(filter.image)
            return [] if found is None else [found]
        return list(self._images.values())

    async def image_status(self, image: ImageSpec) -> ImageInfo | None:
        self._faults.check("image_status")
        return self.lookup(image.image)

    async def pull_image(self, image: ImageSpec) -> str:
        self._faults.check("pull_image")
        key = normalise(image.image)
        script = self._scripts.get(key)
        latency = self._pull_latency if script is None or script.latency is None else script.latency
        if latency > 0:
            await self._clock.sleep(latency)
        if script is not None and script.error is not None:
            raise ImagePullError(script.error)
        return self._add(key).id

    async def remove_image(self, image: ImageSpec) -> None:
        self._faults.check("remove_image")
        found = self._find(image.image)
        if found is not None:
            del self._images[found[0]]

    def _find(self, image: str) -> tuple[str, ImageInfo] | None:
        if image.startswith("sha256:"):
            return next(((key, info) for key, info in self._images.items() if info.id == image), None)
        key = normalise(image)
        info = self._images.get(key)
        return None if info is None else (key, info)

    def _add(self, key: str) -> ImageInfo:
        info = self._images.get(key)
        if info is None:
            digest = hashlib.sha256(key.encode()).hexdigest()
            name, at, _ = key.partition("@")
            repository = name if at else name.rsplit(":", 1)[0]
            info = ImageInfo(
                id=f"sha256:{digest}",
                repo_tags=() if at else (key,),
                repo_digests=(f"{repository}@sha256:{digest}",),
                size=1_000_000 + int(digest[:5], 16),
            )
            self._images[key] = info
        return info
