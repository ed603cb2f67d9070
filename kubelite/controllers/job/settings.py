"""`JobSettings`: the Job controller's knobs, with upstream's defaults unless said otherwise."""

from __future__ import annotations

from dataclasses import dataclass

from kubelite.controllers.job.manage import MAX_POD_CHANGES_PER_SYNC
from kubelite.controllers.job.tracking import MAX_UNCOUNTED_PODS
from kubelite.controllers.runtime.expectations import EXPECTATIONS_TIMEOUT

COMPONENT = "job-controller"


@dataclass(frozen=True, slots=True)
class JobSettings:
    workers: int = 5
    """Concurrent syncs (upstream `--concurrent-job-syncs`, 5)."""
    burst: int = MAX_POD_CHANGES_PER_SYNC
    """Most pods created or deleted by one sync (JOB-2; upstream 500)."""
    backoff_base: float = 10.0
    """The first replacement delay after a failure, doubling per failure (JOB-9; upstream 10 s)."""
    backoff_cap: float = 360.0
    """The longest replacement delay (JOB-9): 6 min as the docs say; current upstream uses 10 min."""
    max_uncounted: int = MAX_UNCOUNTED_PODS
    """Most finished pods one sync adds to `uncountedTerminatedPods` (upstream 500)."""
    expectations_timeout: float = EXPECTATIONS_TIMEOUT
    """Seconds after which unobserved creates/deletes no longer block a sync (upstream 5 min)."""
