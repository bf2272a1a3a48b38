"""A worker child killed in the middle of a PDF job loses no job: with acks_late and
reject_on_worker_lost the message goes back to Redis, a new child takes it, and the job ends
with exactly one version. Uses a real `celery worker` process (prefork) on the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports import services
from reports.models import ReportJob, ReportVersion
from rial_site.celery import app as celery_app
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]


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


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker_process():
    celery_app.control.purge()
    database = connection.settings_dict
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database["NAME"]
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rial_site", "worker", "--pool=prefork", "--concurrency=1",
         "--queues=pdf", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
         f"--hostname=killtest-{uuid.uuid4().hex[:8]}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_killed_worker_child_loses_no_job_and_the_job_finishes_once(world, make_user, worker_process):
    # A long annex, so the job renders for a few seconds and can be caught in the middle.
    for number in range(2, 400):
        QuestionFactory(objective=world.objective, number=number,
                        text=f"Pregunta número {number} sobre la mecánica operativa del programa " * 3)
    job, _created = services.summary_request(cooperation=world.cooperation, user=make_user("oea"),
                                             request_key=uuid.uuid4())

    def running():
        job.refresh_from_db()
        return job.status == ReportJob.Status.RUNNING

    wait_until(running, 60, "the worker to start the job")
    child = wait_until(lambda: children_of(worker_process.pid), 10, "the pool child")[0]
    os.kill(child, signal.SIGKILL)
    assert not ReportVersion.objects.filter(job=job).exists(), "the job must be caught mid-render"

    def finished():
        job.refresh_from_db()
        return job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED)

    wait_until(finished, 120, "the redelivered job to finish")
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.attempts == 2  # the killed run and the redelivered one
    assert ReportVersion.objects.filter(job=job).count() == 1
    assert ReportVersion.objects.get(job=job).number == 1
