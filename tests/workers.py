"""Celery workers for tests: a real `celery worker` process on the test database, for tests that
need jobs to run the way they do in production (browser journeys, the killed-child test), and a
solo worker thread in the test process for the rest; and waiting for what they do."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection

from reports.models import ReportJob
from rial_site.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_job(job: ReportJob, *, timeout: float = 60) -> ReportJob:
    """Wait until a report job has ended (done or failed) and return it, refreshed."""

    def ended():
        job.refresh_from_db()
        return not job.is_pending

    wait_until(ended, timeout, f"report job {job.pk} to end", interval=0.2)
    return job


@contextmanager
def solo_worker(*, queues=("celery", "pdf"), shutdown_timeout: float = 20):
    """A worker thread in this process (solo pool), on the test database as it is."""
    celery_app.control.purge()  # messages left by earlier tests that ran without a worker
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=shutdown_timeout, queues=list(queues)
    ) as running:
        yield running


@contextmanager
def celery_worker(*, queues: str = "celery,pdf", name: str = "test", extra_env: dict[str, str] | None = None):
    """Start a prefork worker (one child) on the test database and this test's MEDIA_ROOT;
    stop it (warm shutdown) on exit. `extra_env`: more settings for it (e.g. EMAIL_URL)."""
    celery_app.control.purge()
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(settings.MEDIA_ROOT), **(extra_env or {})}
    log = tempfile.TemporaryFile("w+")  # closed when the worker stops
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rial_site",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={queues}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--hostname={name}-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=env,
        # A file, not a pipe nobody reads: a worker that logs more than a pipe holds would block.
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
