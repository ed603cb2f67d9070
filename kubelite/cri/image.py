"""Image requests and statuses, shaped after the CRI's ImageService messages.

An image is named by reference (`busybox`, `busybox:1.36`, `repo/name@sha256:...`); a reference
without a tag means `:latest`. `ImageInfo.id` is the runtime's content id.
"""

from __future__ import annotations

import msgspec


class ImageSpec(msgspec.Struct, kw_only=True, frozen=True):
    image: str


class ImageInfo(msgspec.Struct, kw_only=True, frozen=True):
    id: str
    repo_tags: tuple[str, ...] = ()
    repo_digests: tuple[str, ...] = ()
    size: int = 0


class ImageFilter(msgspec.Struct, kw_only=True, frozen=True):
    """An empty `image` lists every image."""

    image: str = ""
