"""`DockerImageService`: the CRI `ImageService` over a Docker daemon.

Contract: images are named as Docker names them (`busybox` means `busybox:latest` on Docker Hub;
an id `sha256:...` works everywhere a name does). `image_status` is None for an image the daemon
does not have; `list_images` with a filter lists that one image (or nothing). `ImageInfo` carries
the daemon's id (`sha256:<hex>`), tags (without Docker's `<none>` placeholders), digests and size;
status and list build it from the same fields, so they compare equal. `pull_image` asks the daemon
to pull by reference and returns the image id; any failure the daemon reports (no registry
reachable, unknown image, denied) raises `ImagePullError` with the daemon's message, except an
unreachable daemon (`RuntimeUnavailable`). `remove_image` of an absent image does nothing (as the
CRI's RemoveImage); one still used by a container raises `InvalidConfig`.
"""

from __future__ import annotations

import aiodocker
from aiodocker.exceptions import DockerError

from kubelite.cri.docker.failures import UNREACHABLE, daemon_errors
from kubelite.cri.docker.wire import Image, decode
from kubelite.cri.errors import ImageNotFound, ImagePullError, RuntimeUnavailable
from kubelite.cri.image import ImageFilter, ImageInfo, ImageSpec

_NONE = ("<none>:<none>", "<none>@<none>")


def image_info(image: Image) -> ImageInfo:
    return ImageInfo(
        id=image.id,
        repo_tags=tuple(tag for tag in image.repo_tags or () if tag not in _NONE),
        repo_digests=tuple(digest for digest in image.repo_digests or () if digest not in _NONE),
        size=image.size,
    )


class DockerImageService:
    """Implements `kubelite.cri.ImageService` on the daemon `docker` talks to."""

    def __init__(self, docker: aiodocker.Docker) -> None:
        self._docker = docker

    async def list_images(self, filter: ImageFilter | None = None) -> list[ImageInfo]:
        if filter is not None and filter.image:
            found = await self.image_status(ImageSpec(image=filter.image))
            return [] if found is None else [found]
        with daemon_errors():
            items = await self._docker.images.list()
        return [image_info(decode(item, Image)) for item in items]

    async def image_status(self, image: ImageSpec) -> ImageInfo | None:
        try:
            with daemon_errors(ImageNotFound):
                found = await self._docker.images.inspect(image.image)
        except ImageNotFound:
            return None
        return image_info(decode(found, Image))

    async def pull_image(self, image: ImageSpec) -> str:
        with daemon_errors():
            try:
                await self._docker.images.pull(image.image)
            except DockerError as error:
                if error.status == UNREACHABLE:
                    raise RuntimeUnavailable(f"docker: {error.message}") from error
                raise ImagePullError(f"pulling {image.image!r}: {error.message}") from error
        found = await self.image_status(image)
        if found is None:
            raise ImagePullError(
                f"pulling {image.image!r}: the daemon reported success but has no such image"
            )
        return found.id

    async def remove_image(self, image: ImageSpec) -> None:
        try:
            with daemon_errors(ImageNotFound):
                await self._docker.images.delete(image.image)
        except ImageNotFound:
            return
