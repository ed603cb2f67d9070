"""The Job controller (JOB-2..JOB-12, JOB-14, JOB-15): pure planners and a thin loop.

- pure: `indexes` (completion indexes, interval strings; JOB-6), `pods` (what a pod counts as;
  JOB-3, JOB-7, JOB-8), `census` (the counts at the start of a sync), `backoff` (JOB-9),
  `decide` (failure and deadline; JOB-8, JOB-10, JOB-11, JOB-15), `manage` (creates and deletes;
  JOB-2, JOB-4, JOB-6, JOB-12), `tracking` (the finalizer counting protocol), `conditions`,
  `policy` over `failurepolicy` (the podFailurePolicy matcher; JOB-15), `perindex`
  (`backoffLimitPerIndex`, `failedIndexes`, FailIndex; JOB-10), `writes`;
- I/O: `actions` (pod writes with events and expectations), `sync` (one sync), `controller`
  (`JobController` on a `Manager`), `orphans` (finalizers of pods whose Job is gone).
"""

from kubelite.controllers.job.controller import JobController
from kubelite.controllers.job.settings import COMPONENT, JobSettings

__all__ = ["COMPONENT", "JobController", "JobSettings"]
