"""Background jobs of the certificates (thin adapters over services). Issuing renders PDFs, so it
runs on the `pdf` queue (settings.CELERY_TASK_ROUTES); acks_late + reject_on_worker_lost put a job
whose worker child was killed back on the queue, and the job is idempotent (services)."""

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import services
from .models import SOFT_TIME_LIMIT, TIME_LIMIT


class CertificateTask(Task):
    """Marks the job failed, with the reason, when the task gives up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        with translation.override("es"):
            if isinstance(exc, SoftTimeLimitExceeded):
                reason = _("La emisión superó el tiempo máximo permitido y se detuvo.")
            else:
                reason = _("No se pudieron emitir los certificados: %(error)s") % {
                    "error": f"{type(exc).__name__}: {exc}"
                }
        services.job_mark_failed(job_id=args[0], reason=reason)


@shared_task(
    bind=True,
    base=CertificateTask,
    name="certificates.issue_certificates",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=int(SOFT_TIME_LIMIT.total_seconds()),
    time_limit=int(TIME_LIMIT.total_seconds()),
)
def issue_certificates(self, job_id: int) -> int:
    """Issue the certificates of a job (and its ZIP); returns how many were new."""
    return services.certificate_job_run(job_id=job_id)


@shared_task(name="certificates.fail_stale_jobs")
def fail_stale_jobs() -> int:
    """Run by beat every five minutes: mark failed the certificate jobs whose worker died."""
    return services.job_fail_stale(now=timezone.now())
