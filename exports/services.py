"""Writing exports: a short list is written while the user waits (`export_write`); a long one
(more than settings.EXPORT_SYNC_MAX_ROWS rows) becomes a job (`export_request`) that a Celery
worker writes to a file (`export_job_run`), streaming, so its memory does not grow with the
rows. Jobs run as the user who asked: the same selector, the same filters, the same scope."""

import datetime
import logging
import os
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.decorators import require
from core.heartbeat import heartbeat

from . import models, selectors
from .lists import ExportList, export_list_get
from .models import ExportJob, FileFormat
from .writers import csv_bytes, write_csv, write_xlsx, xlsx_bytes

logger = logging.getLogger(__name__)

# A job's progress is written to its row after every this many rows.
PROGRESS_EVERY = 1000


class ExportRefused(ValueError):
    """The list's filters were refused; `errors` says why, in the user's language."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def export_file_name(*, export_list: ExportList, file_format: str, selection: selectors.Selection) -> str:
    """acciones-formativas-2026-12-02.xlsx (today in the country's zone)."""
    parts = [export_list.file_stem, selection.name_suffix, timezone.localdate().isoformat()]
    return "-".join(part for part in parts if part) + "." + file_format


def export_select(*, export_list: ExportList, user: User, filters: Mapping[str, Any]) -> selectors.Selection:
    """The rows the user may export with these filters; PermissionDenied without the list's
    permission, ExportRefused for filters the list refuses."""
    require(user, export_list.permission)
    selection = export_list.select(user=user, filters=filters)
    if selection.errors:
        raise ExportRefused(selection.errors)
    return selection


def _rows(export_list: ExportList, selection: selectors.Selection) -> Iterator[list[Any]]:
    resource = export_list.resource()
    return (resource.row(instance) for instance in selection)


def export_write(*, export_list: ExportList, selection: selectors.Selection, file_format: str) -> bytes:
    """The whole file, in memory (short lists only: see settings.EXPORT_SYNC_MAX_ROWS)."""
    headers = export_list.resource().headers()
    if file_format == FileFormat.CSV:
        return csv_bytes(headers, _rows(export_list, selection))
    return xlsx_bytes(headers, _rows(export_list, selection), sheet_title=str(export_list.title))


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    file_name: str


@dataclass(frozen=True)
class TooLong:
    """The list has more rows than a download written while the user waits may have."""

    rows: int
    limit: int


def export_now(
    *, export_list: ExportList, file_format: str, user: User, filters: Mapping[str, Any]
) -> ExportFile | TooLong:
    """The file of the list as the user sees it with these filters, or TooLong when it should be
    written in the background (export_request). Raises PermissionDenied or ExportRefused."""
    selection = export_select(export_list=export_list, user=user, filters=filters)
    count = selection.count()
    if count > settings.EXPORT_SYNC_MAX_ROWS:
        return TooLong(rows=count, limit=settings.EXPORT_SYNC_MAX_ROWS)
    return ExportFile(
        content=export_write(export_list=export_list, selection=selection, file_format=file_format),
        file_name=export_file_name(export_list=export_list, file_format=file_format, selection=selection),
    )


def filters_of(query: Mapping[str, Any]) -> dict[str, list[str]]:
    """The query string to keep with a job, without the page number."""
    items = query.lists() if isinstance(query, QueryDict) else query.items()
    return {
        name: [str(value) for value in (values if isinstance(values, list | tuple) else [values])]
        for name, values in items
        if name != "page"
    }


def query_of(filters: Mapping[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in filters.items():
        query.setlist(name, values)
    return query


def export_request(
    *,
    export_list: ExportList,
    file_format: str,
    filters: Mapping[str, Any],
    by: User,
    request_key: uuid.UUID,
) -> ExportJob:
    """Queue a background export of the list as the user sees it (after checking, as the
    download does, the permission and the filters). A request key already used by this user
    returns its job (a double click makes one job); somebody else's key is refused."""
    existing = selectors.export_job_for_request(request_key=request_key)
    if existing is not None:
        if existing.requested_by_id != by.pk:
            raise PermissionDenied
        return existing
    selection = export_select(export_list=export_list, user=by, filters=filters)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(
                request_key=request_key,
                list_name=export_list.name,
                file_format=file_format,
                filters=filters_of(filters),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                requested_by=by,
                requested_at=now,
                # A job nobody runs (no worker) still goes away: beat deletes it then.
                expires_at=now + settings.EXPORT_FILE_TTL,
                file_name=export_file_name(export_list=export_list, file_format=file_format, selection=selection),
            )
    except IntegrityError:
        existing = selectors.export_job_for_request(request_key=request_key)
        if existing is None or existing.requested_by_id != by.pk:
            raise
        return existing
    _queue(job)
    return job


def _queue(job: ExportJob) -> None:
    from .tasks import run_export

    transaction.on_commit(lambda: run_export.delay(job.pk))


def _mark_running(job_id: int) -> ExportJob | None:
    """Mark the job running; None when it has nothing left to do (done, expired)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
            return None
        job.status = ExportJob.Status.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.rows_done = 0
        job.error = ""
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "rows_done", "error"])
        return job


def _heartbeat(job_id: int) -> AbstractContextManager[None]:
    return heartbeat(
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING),
        interval=models.HEARTBEAT_INTERVAL,
        name=f"export-job-{job_id}",
    )


def export_job_run(*, job_id: int) -> None:
    """Write the job's file, as its user sees the list, and mark it done (nothing when it is
    already done). Streaming: rows are read in chunks and written as they come."""
    job = _mark_running(job_id)
    if job is None:
        return
    export_list = export_list_get(job.list_name)
    with _heartbeat(job_id), translation.override(job.language):
        selection = export_select(export_list=export_list, user=job.requested_by, filters=query_of(job.filters))
        total = selection.count()
        ExportJob.objects.filter(pk=job_id).update(rows_total=total)

        def progress(count: int) -> None:
            if count % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job_id).update(rows_done=count)

        headers = export_list.resource().headers()
        rows = _rows(export_list, selection)
        with tempfile.TemporaryDirectory(prefix="export-") as folder:
            path = os.path.join(folder, job.file_name)
            if job.file_format == FileFormat.CSV:
                with open(path, "w", encoding="utf-8", newline="") as stream:
                    count = write_csv(stream, headers, rows, progress)
            else:
                count = write_xlsx(path, headers, rows, sheet_title=str(export_list.title), progress=progress)
            _store(job_id, path, count)


def _store(job_id: int, path: str, count: int) -> None:
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ExportJob.Status.RUNNING:  # failed as stale meanwhile, or expired
            return
        with open(path, "rb") as handle:
            job.file.save(job.file_name, File(cast(IO[bytes], handle)), save=False)
        now = timezone.now()
        job.size = job.file.size
        job.rows_done = job.rows_total = count
        job.status = ExportJob.Status.DONE
        job.finished_at = now
        job.expires_at = now + settings.EXPORT_FILE_TTL
        job.save()
    logger.info("Export job %s wrote %s rows (%s bytes)", job_id, count, job.size)


def export_job_mark_failed(*, job_id: int, reason: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status__in=[ExportJob.Status.DONE, ExportJob.Status.EXPIRED]).update(
        status=ExportJob.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def export_jobs_fail_stale(*, now: datetime.datetime) -> int:
    """Mark failed, with the reason, the running jobs whose worker stopped heartbeating or
    outlived its time limit (a worker that died with them); returns how many."""
    with translation.override("es"):
        reason = _("El proceso que preparaba esta exportación dejó de responder. Vuelva a exportar la lista.")
    return ExportJob.objects.stale(now=now).update(status=ExportJob.Status.FAILED, error=reason, finished_at=now)


def export_jobs_expire(*, now: datetime.datetime) -> int:
    """Delete the files of the jobs past their expiry and mark them expired; returns how many."""
    count = 0
    for job in selectors.export_jobs_expired(now=now):
        if job.file:
            job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        count += 1
    return count
