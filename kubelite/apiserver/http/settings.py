"""Settings of the HTTP transport. Every field has a default that matches Kubernetes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class HTTPSettings:
    max_body_bytes: int = 3 * 1024 * 1024
    """Largest request body accepted (Kubernetes' 3 MiB); a larger one is a 413 with a Status."""

    git_version: str = "v1.32.0"
    """What `/version` reports; kubectl's dispatcher picks its binary by the minor version."""

    watch_bookmark_interval: float = 60.0
    """Seconds between BOOKMARK events on a watch that asked for them (`allowWatchBookmarks`)."""
