"""Celery tasks of the reports: PDF generation (on the `pdf` queue) and the bimonthly schedule.

Delivery rules (settings.py): acks_late + reject_on_worker_lost, so a worker child killed in
the middle of a job puts the job back on the queue; the job itself is idempotent
(services.job_run). Retries, with exponential backoff and jitter, happen only for the transient
errors named in TRANSIENT_ERRORS; anything else fails the job at once with its reason. A job
whose whole worker died (nothing left to redeliver it soon, or at all with the embedded broker)
is marked failed by `fail_stale_jobs`, which beat runs every few minutes.
"""

import datetime
import logging

import redis.exceptions
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from capacity_plan.periods import Bimester
from capacity_plan.selectors import plan_get

from . import services
from .models import SOFT_TIME_LIMIT, TIME_LIMIT

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    OperationalError,  # database restarted, connection dropped, lock timeout
    InterfaceError,  # connection closed under us
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
MAX_RETRIES = 4


def failure_reason(exc: BaseException) -> str:
    with translation.override("es"):
        if isinstance(exc, SoftTimeLimitExceeded):
            return _("La generación superó el tiempo máximo permitido y se detuvo.")
        if isinstance(exc, TRANSIENT_ERRORS):
            return _("Falló tras %(n)s intentos por un error transitorio: %(error)s") % {
                "n": MAX_RETRIES + 1,
                "error": f"{type(exc).__name__}: {exc}",
            }
        return _("No se pudo generar el informe: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}


class ReportTask(Task):
    """Keeps the job row in step with the task: failed (with the reason) when the task gives up,
    queued again while a retry waits."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.job_mark_failed(job_id=args[0], reason=failure_reason(exc))

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        with translation.override("es"):
            services.job_mark_retrying(
                job_id=args[0],
                reason=_("Error transitorio (%(error)s); se reintentará.") % {"error": type(exc).__name__},
            )


@shared_task(
    bind=True,
    base=ReportTask,
    name="reports.generate_report",
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=MAX_RETRIES,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=int(SOFT_TIME_LIMIT.total_seconds()),
    time_limit=int(TIME_LIMIT.total_seconds()),
)
def generate_report(self, job_id: int) -> int:
    """Render the job's PDF and store its version; returns the version id."""
    return services.job_run(job_id=job_id)


def period_to_report(today: datetime.date) -> Bimester | None:
    """The bimonthly period that ended yesterday, if one did (the schedule runs daily)."""
    yesterday = today - datetime.timedelta(days=1)
    period = Bimester.containing(yesterday)
    return period if period.end == yesterday else None


@shared_task(name="reports.monitoring_for_ended_period")
def monitoring_for_ended_period(today: str | None = None) -> int | None:
    """Run by beat every day: when a bimonthly period ended yesterday, request its report of the
    plan loaded now (once: the request key is derived from the period)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    period = period_to_report(day)
    if period is None:
        return None
    job, _created = services.monitoring_request_scheduled(plan=plan_get(), period=period)
    logger.info("Monitoring report of %s requested by the schedule (job %s)", period.code, job.pk)
    return job.pk


@shared_task(name="reports.fail_stale_jobs")
def fail_stale_jobs() -> int:
    """Run by beat every five minutes: mark failed (so they can be retried) the running jobs whose
    worker stopped heartbeating or that outlived their time limit; returns how many."""
    return services.job_fail_stale(now=timezone.now())
