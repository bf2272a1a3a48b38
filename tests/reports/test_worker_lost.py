"""A worker child killed in the middle of a PDF job loses no job: with acks_late and
reject_on_worker_lost the message goes back to Redis, a new child takes it, and the job ends
with exactly one version. Uses a real `celery worker` process (prefork) on the test database."""

import os
import signal
import uuid
from pathlib import Path

import pytest

from reports import services
from reports.models import ReportJob, ReportVersion
from tests.factories import QuestionFactory
from tests.workers import celery_worker, wait_for_job, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def children_of(pid: int) -> list[int]:
    result = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            result.append(int(stat.parent.name))
    return result


@pytest.fixture
def worker_process():
    with celery_worker(queues="pdf", name="killtest") as process:
        yield process


def test_a_killed_worker_child_loses_no_job_and_the_job_finishes_once(world, make_user, worker_process):
    # A long annex, so the job renders for a few seconds and can be caught in the middle.
    for number in range(2, 400):
        QuestionFactory(
            objective=world.objective,
            number=number,
            text=f"Pregunta número {number} sobre la mecánica operativa del programa " * 3,
        )
    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )

    def running():
        job.refresh_from_db()
        return job.status == ReportJob.Status.RUNNING

    wait_until(running, 60, "the worker to start the job")
    child = wait_until(lambda: children_of(worker_process.pid), 10, "the pool child")[0]
    os.kill(child, signal.SIGKILL)
    assert not ReportVersion.objects.filter(job=job).exists(), "the job must be caught mid-render"

    wait_for_job(job, timeout=120)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 2  # the killed run and the redelivered one
    assert ReportVersion.objects.filter(job=job).count() == 1
    assert ReportVersion.objects.get(job=job).number == 1
