"""The fake CRI backend: an in-memory runtime and image store for tests and fake nodes.

`FakeRuntime` implements `RuntimeService`, `FakeImageService` implements `ImageService`, and
`PodNetwork` hands out pod IPs (share one between the runtimes of a fake cluster). Containers
interpret their command (`sleep`, `echo`, `exit`, `sh -c` scripts...) on an injectable clock; see
`kubelite.cri.fake.runtime` for the behaviour and the scripting hooks.
"""

from kubelite.cri.fake.images import FakeImageService, normalise
from kubelite.cri.fake.network import PodNetwork
from kubelite.cri.fake.runtime import ExecHandler, FakeRuntime

__all__ = ["ExecHandler", "FakeImageService", "FakeRuntime", "PodNetwork", "normalise"]
