"""Translation of aiodocker and aiohttp failures into `kubelite.cri.errors`.

Contract: inside `daemon_errors(not_found)`, every failure of a daemon call leaves as a `CRIError`:
- the daemon cannot be reached (aiodocker's status 900, a dropped connection) → `RuntimeUnavailable`;
- HTTP 404 → `not_found(message)` when given (`ContainerNotFound`, `SandboxNotFound`, ...), else
  `CRIError`;
- HTTP 409 (conflict: wrong state, name in use) → `InvalidConfig`;
- anything else the daemon refuses → `CRIError` with the daemon's message.
The original exception is chained (`__cause__`). Cancellation passes through untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import aiohttp
from aiodocker.exceptions import DockerError

from kubelite.cri.errors import CRIError, InvalidConfig, RuntimeUnavailable

NotFound = Callable[[str], CRIError]

UNREACHABLE = 900  # aiodocker's status for "cannot connect to the daemon"


def translate(error: DockerError, not_found: NotFound | None = None) -> CRIError:
    message = f"docker: {error.message}"
    if error.status == UNREACHABLE:
        return RuntimeUnavailable(message)
    if error.status == 404 and not_found is not None:
        return not_found(message)
    if error.status == 409:
        return InvalidConfig(message)
    return CRIError(message)


@contextmanager
def daemon_errors(not_found: NotFound | None = None) -> Iterator[None]:
    try:
        yield
    except DockerError as error:
        raise translate(error, not_found) from error
    except aiohttp.ClientConnectionError as error:
        raise RuntimeUnavailable(f"docker: connection to the daemon failed: {error}") from error
    except aiohttp.ClientError as error:
        raise CRIError(f"docker: {error}") from error
