"""Background jobs of the PFC (thin adapters over services)."""

from celery import Task, shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .imports import import_previews_delete_expired
from .imports.jobs import import_job_mark_failed, import_job_run, import_jobs_delete_expired, import_jobs_fail_stale


@shared_task(name="capacity_plan.delete_expired_import_previews")
def delete_expired_import_previews() -> int:
    """Delete import previews and import jobs nobody confirmed before they expired, with their files."""
    now = timezone.now()
    return import_previews_delete_expired(now=now) + import_jobs_delete_expired(now=now)


class ImportTask(Task):
    """Marks the job failed, with the reason, when the task gives up."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        with translation.override("es"):
            reason = _("No se pudo procesar el archivo: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        import_job_mark_failed(job_id=args[0], reason=reason)


@shared_task(
    bind=True,
    base=ImportTask,
    name="capacity_plan.run_import_job",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=5 * 60,
    time_limit=7 * 60,
)
def run_import_job(self, job_id: int) -> None:
    """Preview or write the stashed file of an import job."""
    import_job_run(job_id=job_id)


@shared_task(name="capacity_plan.fail_stale_import_jobs")
def fail_stale_import_jobs() -> int:
    """Mark failed (so they can be retried) the import jobs whose worker stopped heartbeating."""
    return import_jobs_fail_stale(now=timezone.now())
