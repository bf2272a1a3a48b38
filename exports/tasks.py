"""Background exports (thin adapters over exports.services)."""

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import services
from .models import SOFT_TIME_LIMIT, TIME_LIMIT


def failure_reason(exc: BaseException) -> str:
    with translation.override("es"):
        if isinstance(exc, SoftTimeLimitExceeded):
            return _(
                "La exportación superó el tiempo máximo permitido y se detuvo. Filtre la lista y vuelva a exportar."
            )
        if isinstance(exc, PermissionDenied):
            return _("Ya no tiene permiso para exportar esta lista.")
        if isinstance(exc, services.ExportRefused):
            return _("Los filtros de la lista no son válidos: %(errors)s") % {"errors": exc}
        return _("No se pudo exportar la lista: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}


class ExportTask(Task):
    """Marks the job failed, with the reason, when the task gives up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.export_job_mark_failed(job_id=args[0], reason=failure_reason(exc))


@shared_task(
    bind=True,
    base=ExportTask,
    name="exports.run_export",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=int(SOFT_TIME_LIMIT.total_seconds()),
    time_limit=int(TIME_LIMIT.total_seconds()),
)
def run_export(self, job_id: int) -> None:
    """Write the export job's file."""
    services.export_job_run(job_id=job_id)


@shared_task(name="exports.delete_expired_exports")
def delete_expired_exports() -> int:
    """Run by beat every hour: delete the files of exports past their expiry (marked expired)."""
    return services.export_jobs_expire(now=timezone.now())


@shared_task(name="exports.fail_stale_export_jobs")
def fail_stale_export_jobs() -> int:
    """Run by beat every five minutes: mark failed the export jobs whose worker died."""
    return services.export_jobs_fail_stale(now=timezone.now())
