"""The counting protocol's pure steps (JOB-5, JOB-7, JOB-10, JOB-15), conditions (JOB-5, JOB-12)
and the pods a Job creates (JOB-2, JOB-6)."""

from __future__ import annotations

from kubelite.api.batch import (
    JobCondition,
    JobStatus,
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyRule,
)
from kubelite.clock import rfc3339
from kubelite.controllers.job import conditions
from kubelite.controllers.job.pods import JOB_TRACKING_FINALIZER
from kubelite.controllers.job.tracking import move_counted, plan_tracking, with_uncounted
from kubelite.controllers.job.writes import new_pod
from tests.controllers.job.builders import T0, a_job, a_pod, uncounted


def test_finished_pods_go_to_uncounted_once_and_running_ones_stay() -> None:
    """JOB-5, JOB-7: succeeded and failed pods are released and listed; a pod already listed is
    released but not listed again; running pods and pods awaiting an observed removal are left."""
    job = a_job(status=JobStatus(uncounted_terminated_pods=uncounted(["uid-old"])))
    pods = [a_pod("ok", "Succeeded"), a_pod("old", "Succeeded"), a_pod("bad", "Failed"), a_pod("run")]
    pods.append(a_pod("waiting", "Succeeded"))
    plan = plan_tracking(job, pods, {"uid-waiting"}, None)
    assert [p.metadata.name for p in plan.release] == ["ok", "old", "bad"]
    assert (plan.succeeded, plan.failed, plan.capped) == (["uid-ok"], ["uid-bad"], False)
    status = with_uncounted(job.status, plan)
    assert status.uncounted_terminated_pods == uncounted(["uid-old", "uid-ok"], ["uid-bad"])


def test_a_failing_job_counts_every_unfinished_pod_as_failed() -> None:
    """JOB-10: with FailureTarget, the running pods are released and counted failed."""
    job = a_job()
    finish = conditions.failure(conditions.BACKOFF_LIMIT_EXCEEDED, conditions.BACKOFF_LIMIT_MESSAGE)
    plan = plan_tracking(job, [a_pod("run"), a_pod("ok", "Succeeded")], (), finish)
    assert (plan.succeeded, plan.failed) == (["uid-ok"], ["uid-run"])


def test_ignored_failures_are_released_but_not_counted() -> None:
    """JOB-15: a failure matching an Ignore rule loses the finalizer and is never counted."""
    rule = PodFailurePolicyRule(
        action="Ignore", on_exit_codes=PodFailurePolicyOnExitCodesRequirement(operator="In", values=[1])
    )
    job = a_job(pod_failure_policy=PodFailurePolicy(rules=[rule]))
    pod = a_pod("ignored", "Failed", finished=T0)
    plan = plan_tracking(job, [pod], (), None)
    assert [p.metadata.name for p in plan.release] == ["ignored"] and plan.failed == []


def test_indexed_successes_go_straight_to_completed_indexes() -> None:
    """JOB-6: succeeded = distinct succeeded indexes; out-of-range pods are released, not counted."""
    job = a_job(completions=4, indexed=True)
    pods = [
        a_pod("a", "Succeeded", index=1),
        a_pod("b", "Succeeded", index=2),
        a_pod("c", "Succeeded", index=9),
    ]
    plan = plan_tracking(job, pods, (), None, succeeded_indexes={2})
    assert (plan.indexes, plan.succeeded, len(plan.release)) == ({1}, [], 3)


def test_at_most_max_uncounted_per_sync() -> None:
    """JOB-5: a sync lists at most `max_uncounted` finishes (upstream 500) and says it stopped."""
    pods = [a_pod(f"p{i}", "Succeeded") for i in range(10)]
    plan = plan_tracking(a_job(), pods, (), None, max_uncounted=4)
    assert (len(plan.succeeded), len(plan.release), plan.capped) == (4, 4, True)


def test_uids_move_into_the_counts_once_their_finalizer_is_gone() -> None:
    """JOB-7: UIDs still behind a finalizer stay listed; the rest are counted; never lowered."""
    status = JobStatus(succeeded=3, failed=1, uncounted_terminated_pods=uncounted(["a", "b"], ["c", "d"]))
    moved = move_counted(status, {"b", "d"})
    assert (moved.succeeded, moved.failed) == (4, 2)
    assert moved.uncounted_terminated_pods == uncounted(["b"], ["d"])
    assert move_counted(moved, set()) == JobStatus(
        succeeded=5, failed=3, uncounted_terminated_pods=uncounted()
    )


def test_job5_job12_ensure_condition() -> None:
    stamp = rfc3339(T0)
    added, changed = conditions.ensure([], "Suspended", "True", "JobSuspended", "Job suspended", T0)
    assert changed and added == [
        JobCondition(
            type="Suspended",
            status="True",
            reason="JobSuspended",
            message="Job suspended",
            last_probe_time=stamp,
            last_transition_time=stamp,
        )
    ]
    assert conditions.ensure(added, "Suspended", "True", "JobSuspended", "Job suspended", T0 + 5) == (
        added,
        False,
    )
    assert conditions.ensure([], "Suspended", "False", "JobResumed", "Job resumed", T0) == ([], False)
    flipped, changed = conditions.ensure(added, "Suspended", "False", "JobResumed", "Job resumed", T0 + 5)
    assert changed and flipped[0].status == "False" and flipped[0].last_transition_time == rfc3339(T0 + 5)


def test_job2_job6_new_pods() -> None:
    """JOB-2: finalizer, controller reference, generateName; JOB-6: index annotation, label, env,
    hostname and generateName; the Job's template is not changed."""
    job = a_job(indexed=True)
    plain = new_pod(a_job())
    assert plain.metadata.generate_name == "work-" and plain.metadata.finalizers == [JOB_TRACKING_FINALIZER]
    (ref,) = plain.metadata.owner_references
    assert (ref.kind, ref.name, ref.uid, ref.controller, ref.block_owner_deletion) == (
        "Job",
        "work",
        "job-uid",
        True,
        True,
    )
    pod = new_pod(job, 3)
    assert pod.metadata.generate_name == "work-3-" and pod.spec.hostname == "work-3"
    assert (
        pod.metadata.annotations == pod.metadata.labels == {"batch.kubernetes.io/job-completion-index": "3"}
    )
    assert [(e.name, e.value) for e in pod.spec.containers[0].env] == [("JOB_COMPLETION_INDEX", "3")]
    assert job.spec.template.spec.containers[0].env == [] and job.spec.template.spec.hostname == ""
