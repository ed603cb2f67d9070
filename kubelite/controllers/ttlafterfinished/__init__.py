"""The TTL-after-finished controller (JOB-13): finished Jobs are deleted `ttlSecondsAfterFinished`
after they finished.

- `plan`: pure (`plan_ttl`: nothing, wait, or expired);
- `controller.TTLAfterFinishedController`: the reconciler on a `Manager`.
"""

from kubelite.controllers.ttlafterfinished.controller import TTLAfterFinishedController

__all__ = ["TTLAfterFinishedController"]
