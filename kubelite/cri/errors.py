"""Failures a container runtime reports.

Contract: every backend raises only these (wrapping its own errors), so the kubelet can tell a
missing object from a failed pull from an unreachable runtime without knowing the backend.
"""

from __future__ import annotations


class CRIError(Exception):
    """Base class: the runtime could not do what was asked."""


class RuntimeUnavailable(CRIError):
    """The runtime itself cannot be reached (daemon down, socket missing)."""


class SandboxNotFound(CRIError):
    """No pod sandbox has that id."""


class ContainerNotFound(CRIError):
    """No container has that id."""


class ImageNotFound(CRIError):
    """The image is not present locally (and the call does not pull)."""


class ImagePullError(CRIError):
    """A pull failed: registry unreachable, image unknown, or a scripted failure."""


class InvalidConfig(CRIError):
    """A request cannot be carried out as given (bad state transition, bad config)."""
