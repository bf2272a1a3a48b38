"""Imports too big for a request run as Celery jobs (ImportJob rows).

Which ones: a CSV over IN_REQUEST_CSV_BYTES, or an XLSX whose members expand (as its zip
directory declares; nothing is inflated to find out) to more than IN_REQUEST_XLSX_BYTES. Those
sizes hold about a thousand rows of a Google Forms export, whose dry run takes a few seconds;
anything bigger (up to MAX_IMPORT_BYTES and MAX_ROWS) is stashed as it arrives and the request
returns at once, without parsing it. The worker previews it (the same dry run, all rows checked,
the row-by-row error report); the job page polls until the preview is ready and shows the same
preview as a small import; «Confirmar» queues the write, which also runs on the worker: the
import and the job's «done» commit in one transaction, all rows or none, so a redelivered task
writes nothing twice.

A running job's worker touches `heartbeat_at` every HEARTBEAT_INTERVAL; a job silent for longer
than HEARTBEAT_TIMEOUT (its worker died) is marked failed by beat (`import_jobs_fail_stale`) and
can be retried from its page. Jobs expire with their file like previews (PREVIEW_LIFETIME).
"""

import datetime
import logging
import uuid
import zipfile
from contextlib import AbstractContextManager

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.decorators import require
from core.heartbeat import heartbeat

from ..models import ImportJob, ImportKind
from ..permissions import EDIT_PLAN
from .files import MAX_IMPORT_BYTES, check_xlsx_archive
from .previews import PREVIEW_LIFETIME
from .running import ImportReport, Target, import_run

logger = logging.getLogger(__name__)

IN_REQUEST_CSV_BYTES = 128 * 1024
IN_REQUEST_XLSX_BYTES = 1024 * 1024  # expanded: sheet XML takes ~10 times the CSV of its rows
HEARTBEAT_INTERVAL = datetime.timedelta(seconds=10)
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=2)


def import_needs_job(*, uploaded: File) -> bool:
    """Whether the upload is bigger than a request should parse (see the module's docstring).
    An XLSX passes the archive bounds of every upload first (a zip bomb is refused here, in the
    request, and never stashed); that reads the archive, not its rows."""
    if (uploaded.name or "").lower().endswith(".xlsx"):
        uploaded.seek(0)
        if uploaded.read(4) != b"PK\x03\x04":
            return False  # read_table gives the message, at once
        try:
            check_xlsx_archive(uploaded)
            with zipfile.ZipFile(uploaded) as archive:
                expanded = sum(member.file_size for member in archive.infolist())
        except ValidationError:
            raise
        except Exception:  # zipfile's own errors for a broken archive
            return False  # read_table gives the message, at once
        finally:
            uploaded.seek(0)
        return expanded > IN_REQUEST_XLSX_BYTES
    return uploaded.size > IN_REQUEST_CSV_BYTES


def _queue(job: ImportJob) -> None:
    from ..tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(job.pk))


def import_job_start(
    *, kind: ImportKind, target: Target, uploaded: File, by: User, now: datetime.datetime | None = None
) -> ImportJob:
    """Stash the upload and queue its preview (nothing is parsed here)."""
    require(by, EDIT_PLAN)
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pesa más de 5 MB."))
    now = now or timezone.now()
    name = uploaded.name or ""
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    job = ImportJob(
        kind=kind,
        target_id=None if target is None else target.pk,
        created_by=by,
        file_name=name[:255],
        requested_at=now,
        expires_at=now + PREVIEW_LIFETIME,
    )
    uploaded.seek(0)
    with transaction.atomic():
        job.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(uploaded.read()), save=False)
        job.save()
        _queue(job)
    uploaded.seek(0)
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by: User, rename: bool, now: datetime.datetime | None = None) -> ImportJob:
    """Queue the write of a job whose preview found no errors (once: a second click finds it
    queued already). An expired job, or one that is not a valid preview, raises ValidationError."""
    require(by, EDIT_PLAN)
    job = ImportJob.objects.select_for_update().get(pk=job.pk, created_by=by)
    if job.step == ImportJob.Step.CONFIRM:
        return job
    if job.status != ImportJob.Status.DONE or not ImportReport.from_json(job.report or {}).valid:
        raise ValidationError(_("Esta vista previa no se puede confirmar."))
    if job.expires_at <= (now or timezone.now()):
        raise ValidationError(_("La vista previa venció; vuelva a subir el archivo."))
    job.step, job.status, job.rename, job.error = ImportJob.Step.CONFIRM, ImportJob.Status.QUEUED, rename, ""
    job.finished_at = None
    job.save(update_fields=["step", "status", "rename", "error", "finished_at"])
    _queue(job)
    return job


def _stale(now: datetime.datetime):
    return ImportJob.objects.alias(last_sign=Coalesce("heartbeat_at", "started_at")).filter(
        Q(last_sign__lt=now - HEARTBEAT_TIMEOUT), status=ImportJob.Status.RUNNING
    )


def import_job_is_stale(*, job: ImportJob, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    last_sign = job.heartbeat_at or job.started_at
    return job.status == ImportJob.Status.RUNNING and last_sign is not None and last_sign < now - HEARTBEAT_TIMEOUT


@transaction.atomic
def import_job_retry(*, job: ImportJob, by: User) -> ImportJob:
    """Queue again, at the same step, a job that failed or whose worker stopped heartbeating."""
    require(by, EDIT_PLAN)
    job = ImportJob.objects.select_for_update().get(pk=job.pk, created_by=by)
    if job.status == ImportJob.Status.FAILED or import_job_is_stale(job=job):
        job.status, job.error, job.finished_at = ImportJob.Status.QUEUED, "", None
        job.save(update_fields=["status", "error", "finished_at"])
        _queue(job)
    return job


def import_jobs_fail_stale(*, now: datetime.datetime) -> int:
    """Mark failed, with the reason, the running jobs whose worker stopped heartbeating."""
    with translation.override("es"):
        reason = _(
            "El proceso que leía el archivo dejó de responder (probablemente se detuvo o se reinició). "
            "No se guardó nada; puede reintentarlo."
        )
    return _stale(now).update(status=ImportJob.Status.FAILED, error=reason, finished_at=now)


def import_job_mark_failed(*, job_id: int, reason: str) -> None:
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def _heartbeat(job_id: int) -> AbstractContextManager[None]:
    """The running job's heartbeat while its body runs (core.heartbeat)."""
    return heartbeat(
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING),
        interval=HEARTBEAT_INTERVAL,
        name=f"import-job-{job_id}",
    )


def _mark_running(job_id: int) -> ImportJob | None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
        if job.status == ImportJob.Status.DONE:
            return None  # a redelivered task: its step is done
        job.status, job.error = ImportJob.Status.RUNNING, ""
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "error", "started_at", "heartbeat_at", "attempts"])
        return job


def _target(job: ImportJob) -> Target:
    from ..selectors import action_get, session_get

    if job.kind == ImportKind.PARTICIPANTS or job.target_id is None:
        return None
    if job.kind == ImportKind.ATTENDANCE:
        return session_get(pk=job.target_id)
    return action_get(pk=job.target_id)


def import_job_run(*, job_id: int) -> None:
    """What the Celery task does: run the job's step (preview or write) on its stashed file."""
    from .files import read_table

    job = _mark_running(job_id)
    if job is None:
        return
    commit = job.step == ImportJob.Step.CONFIRM
    with _heartbeat(job_id), translation.override("es"):
        with job.file.open("rb") as stashed:
            uploaded = SimpleUploadedFile(job.file_name, stashed.read())
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if locked.status == ImportJob.Status.DONE:
                return
            try:
                dataset = read_table(uploaded)
            except ValidationError as error:
                report = ImportReport(errors=[(None, " ".join(error.messages))])
            else:
                report = import_run(
                    kind=ImportKind(job.kind),
                    target=_target(job),
                    dataset=dataset,
                    by=job.created_by,
                    commit=commit,
                    rename=job.rename,
                )
            locked.report = report.as_json()
            locked.status = ImportJob.Status.DONE
            locked.finished_at = timezone.now()
            locked.save(update_fields=["report", "status", "finished_at"])
            if commit or not report.valid:  # nothing more will read the file
                storage, name = job.file.storage, job.file.name or ""
                transaction.on_commit(lambda: storage.delete(name) if name else None)


def import_jobs_delete_expired(*, now: datetime.datetime) -> int:
    """Delete the jobs expired at `now` and their files; returns how many."""
    storage = ImportJob._meta.get_field("file").storage
    with transaction.atomic():
        expired = dict(ImportJob.objects.filter(expires_at__lte=now).values_list("pk", "file"))
        ImportJob.objects.filter(pk__in=expired).delete()
    for name in expired.values():
        if name:
            storage.delete(name)
    return len(expired)
