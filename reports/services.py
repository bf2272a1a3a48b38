"""Requesting and producing report versions.

`summary_request` / `monitoring_request` record a job (once per request key, also when requests
with one key arrive at the same time) naming what it reports on, and queue it after the
transaction commits; `job_run` is what the Celery task does. `job_run` is idempotent:
a job that already has its version returns it, and the version row is unique per job, so a
redelivered or retried task can never publish twice.

While `job_run` renders, a thread of the worker touches the job's `heartbeat_at`; if the whole
worker dies (killed, machine restarted) the heartbeat stops with it, and `job_fail_stale` (run by
beat) marks the job failed so that it can be retried; `job_retry` accepts such a stale job before
the sweep too. A thread is the simplest beat that keeps going while WeasyPrint lays out one long
document (one call of minutes, with no place to report progress from) and that stops exactly when
the process does. Should a "stale" worker still be alive and finish, its publication is the job's
one version (the version is unique per job; a second run returns it).
"""

import datetime
import hashlib
import logging
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.decorators import require
from capacity_plan.models import Plan
from capacity_plan.periods import Bimester
from cooperations.models import Cooperation, Institution
from cooperations.permissions import focal_institution_ids
from cooperations.selectors import cooperation_get_for_report
from core.heartbeat import heartbeat

from . import models, notifications, selectors
from .models import Kind, MonitoringNarrative, ReportJob, ReportVersion, SummaryComment, SummarySeries
from .monitoring_notifications import monitoring_version_published
from .permissions import (
    COMMENT_SUMMARY,
    EDIT_MONITORING_NARRATIVE,
    PUBLISH_SUMMARY,
    REQUEST_MONITORING,
    RESOLVE_SUMMARY_COMMENT,
    SEE_MONITORING,
    SEE_SUMMARIES,
)

logger = logging.getLogger(__name__)

# Beat-triggered jobs get a key derived from what they produce, so a schedule that fires twice
# (or two beat processes) asks for the same job.
SCHEDULE_NAMESPACE = uuid.UUID("6f1d3d0e-5b8c-4c7e-9a37-0d1f4c2b9e11")


# Who may read (False) and request or retry (True) the jobs and versions of each kind.
JOB_PERMISSIONS: dict[tuple[str, bool], str] = {
    (Kind.SUMMARY, False): SEE_SUMMARIES,
    (Kind.SUMMARY, True): PUBLISH_SUMMARY,
    (Kind.MONITORING, False): SEE_MONITORING,
    (Kind.MONITORING, True): REQUEST_MONITORING,
}


class SeriesClosedError(ValidationError):
    pass


def _queue(job: ReportJob) -> None:
    from .tasks import generate_report

    def send() -> None:
        result = generate_report.apply_async(args=(job.pk,))
        ReportJob.objects.filter(pk=job.pk, task_id="").update(task_id=result.id)

    transaction.on_commit(send)


@transaction.atomic
def summary_request(
    *,
    cooperation: Cooperation,
    by: User,
    request_key: uuid.UUID,
    label: str = "",
    is_final: bool = False,
    open_for_comments: bool = False,
) -> tuple[ReportJob, bool]:
    """Ask for a new version of the cooperation's summary. Returns (job, created); a request key
    already used returns its job unchanged, even when requests with one key arrive at once (a
    double click): the unique key lets one insert win and the others return its job. A version
    open to comments is labelled «abierta a comentarios» unless it has a label of its own."""
    require(by, PUBLISH_SUMMARY, cooperation)
    existing = selectors.job_for_request(request_key=request_key)
    if existing:
        return existing, False
    if selectors.series_is_closed(cooperation=cooperation):
        raise SeriesClosedError(
            _("La serie de resúmenes está cerrada con una versión final. Reábrala para publicar una nueva versión.")
        )
    if is_final and open_for_comments:
        raise ValidationError(_("Una versión final no se abre a comentarios."))
    label = label.strip() or (_("abierta a comentarios") if open_for_comments else "")
    return _job_create(
        request_key=request_key,
        kind=Kind.SUMMARY,
        cooperation=cooperation,
        label=label,
        is_final=is_final,
        open_for_comments=open_for_comments,
        requested_by=by,
    )


def monitoring_request(
    *, plan: Plan | None, period: Bimester, by: User, request_key: uuid.UUID
) -> tuple[ReportJob, bool]:
    """Ask for the monitoring report of a period of `plan` (the plan the user sees: the job
    renders it, whatever plan is loaded later). Returns (job, created), once per request key."""
    require(by, REQUEST_MONITORING)
    return _monitoring_job(
        plan=plan, period=period, request_key=request_key, requested_by=by, trigger=ReportJob.Trigger.USER
    )


def monitoring_request_scheduled(*, plan: Plan | None, period: Bimester) -> tuple[ReportJob, bool]:
    """The beat schedule's request: its key is derived from the period, so a schedule that
    fires twice (or two beat processes) asks for the same job."""
    return _monitoring_job(
        plan=plan,
        period=period,
        request_key=uuid.uuid5(SCHEDULE_NAMESPACE, f"monitoring:{period.code}"),
        requested_by=None,
        trigger=ReportJob.Trigger.SCHEDULE,
    )


@transaction.atomic
def _monitoring_job(
    *, plan: Plan | None, period: Bimester, request_key: uuid.UUID, requested_by: User | None, trigger: str
) -> tuple[ReportJob, bool]:
    existing = selectors.job_for_request(request_key=request_key)
    if existing:
        return existing, False
    return _job_create(
        request_key=request_key,
        kind=Kind.MONITORING,
        plan=plan,
        period_year=period.year,
        period_number=period.number,
        requested_by=requested_by,
        trigger=trigger,
    )


def _job_create(*, request_key: uuid.UUID, **fields: Any) -> tuple[ReportJob, bool]:
    """Record and queue the job of a request key nobody used yet; (job, True). When another
    request with the same key inserted its job meanwhile (it waits here until that one commits),
    the unique key refuses this insert and that job is returned: (job, False)."""
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(request_key=request_key, **fields)
    except IntegrityError:
        existing = selectors.job_for_request(request_key=request_key)
        if existing is None:
            raise
        return existing, False
    _queue(job)
    return job, True


@transaction.atomic
def job_retry(*, job: ReportJob, by: User) -> ReportJob:
    """Queue a failed job, or a running one whose worker stopped (stale), again (same request, so
    still at most one version)."""
    require(by, JOB_PERMISSIONS[job.kind, True], job.cooperation)
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if not job.is_retryable:
        return job
    job.status = ReportJob.Status.QUEUED
    job.error = ""
    job.task_id = ""
    job.finished_at = None
    job.save(update_fields=["status", "error", "task_id", "finished_at"])
    _queue(job)
    return job


@transaction.atomic
def series_reopen(*, cooperation: Cooperation, by: User) -> None:
    require(by, PUBLISH_SUMMARY, cooperation)
    series, _created = SummarySeries.objects.select_for_update().get_or_create(cooperation=cooperation)
    series.is_closed = False
    series.changed_by = by
    series.changed_at = timezone.now()
    series.save()


def job_mark_running(*, job_id: int) -> ReportJob | None:
    """Mark the job running (its first heartbeat); None when it already has its version."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportJob.Status.DONE:
            return None
        job.status = ReportJob.Status.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "error"])
        return job


def _heartbeat(job_id: int) -> AbstractContextManager[None]:
    """The running job's heartbeat while its body runs (core.heartbeat), every
    models.HEARTBEAT_INTERVAL as it is when the job starts."""
    return heartbeat(
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.RUNNING),
        interval=models.HEARTBEAT_INTERVAL,
        name=f"report-job-{job_id}",
    )


def job_fail_stale(*, now: datetime.datetime) -> int:
    """Mark failed, with the reason, the running jobs whose worker stopped heartbeating or that
    outlived their time limit (a worker that died with them); returns how many. One UPDATE that
    checks staleness again, so a job a worker takes up meanwhile is left running."""
    stale = list(ReportJob.objects.stale(now=now).values_list("pk", flat=True))
    if not stale:
        return 0
    with translation.override("es"):
        reason = _(
            "El generador de informes dejó de responder mientras preparaba este informe "
            "(probablemente se detuvo o se reinició). Puede reintentarlo."
        )
    count = (
        ReportJob.objects.filter(pk__in=stale)
        .stale(now=now)
        .update(status=ReportJob.Status.FAILED, error=reason, finished_at=now)
    )
    logger.warning("Marked %s stale report jobs failed (of %s found: %s)", count, len(stale), stale)
    return count


def job_mark_failed(*, job_id: int, reason: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def job_mark_retrying(*, job_id: int, reason: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(status=ReportJob.Status.DONE).update(
        status=ReportJob.Status.QUEUED, error=reason[:2000]
    )


def _render(job: ReportJob, number_hint: int, generated_at: datetime.datetime) -> tuple[dict, bytes, str]:
    """The snapshot, the PDF and the file name for a job (outside any transaction: slow)."""
    if job.kind == Kind.SUMMARY:
        from .summary import summary_pdf, summary_snapshot

        assert job.cooperation_id is not None  # report_job_subject_matches_kind
        snapshot = summary_snapshot(cooperation_get_for_report(pk=job.cooperation_id))
        previous = selectors.series_versions(of=job).filter(number=number_hint - 1).only("number", "snapshot").first()
        pdf = summary_pdf(
            snapshot,
            number=number_hint,
            label=job.label,
            is_final=job.is_final,
            generated_at=generated_at,
            previous=previous.snapshot if previous else None,
            previous_number=previous.number if previous else None,
        )
        name = f"resumen-{slugify(snapshot['cooperation']['short_name'])[:60]}-v{number_hint}.pdf"
        return snapshot, pdf, name
    from .monitoring import monitoring_file_name, monitoring_pdf, monitoring_snapshot

    if job.plan_id is None:  # none was loaded when the report was requested
        raise ValueError(_("No hay un plan PFC cargado."))
    period = job.period
    assert period is not None  # report_job_subject_matches_kind
    snapshot = monitoring_snapshot(plan=job.plan, period=period)
    pdf = monitoring_pdf(snapshot, version_number=number_hint, generated_at=generated_at)
    return snapshot, pdf, monitoring_file_name(period, number_hint)


def _lock_series(job: ReportJob) -> None:
    """Serialise version numbering per series (two jobs of one cooperation or one period)."""
    if job.kind == Kind.SUMMARY:
        assert job.cooperation_id is not None  # report_job_subject_matches_kind
        SummarySeries.objects.get_or_create(cooperation_id=job.cooperation_id)
        SummarySeries.objects.select_for_update().get(cooperation_id=job.cooperation_id)
    else:
        # Every job of the period (the one being published included) is locked, so two
        # publications of one period take their numbers one after the other.
        list(
            ReportJob.objects.select_for_update()
            .filter(kind=Kind.MONITORING, period_year=job.period_year, period_number=job.period_number)
            .values("pk")
        )


def job_run(*, job_id: int) -> int:
    """Produce the job's version (or return the one it already has). Returns the version id."""
    job = job_mark_running(job_id=job_id)
    if job is None:
        return ReportVersion.objects.values_list("pk", flat=True).get(job_id=job_id)
    with _heartbeat(job_id):
        return _produce(job)


def _produce(job: ReportJob) -> int:
    job_id = job.pk
    for _attempt in range(3):
        generated_at = timezone.now()
        number = (selectors.series_versions(of=job).aggregate(n=Max("number"))["n"] or 0) + 1
        with translation.override("es"):
            snapshot, pdf, file_name = _render(job, number, generated_at)
        version_id = _publish(
            job_id, number=number, generated_at=generated_at, snapshot=snapshot, pdf=pdf, file_name=file_name
        )
        if version_id is not None:
            return version_id
        # Another version of the series was published while this one rendered: render again
        # with the next number rather than print a wrong one.
    raise RuntimeError("Too many versions of one series published at once; retry later.")


def _publish(
    job_id: int, *, number: int, generated_at: datetime.datetime, snapshot: dict, pdf: bytes, file_name: str
) -> int | None:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        existing = ReportVersion.objects.filter(job=job).values_list("pk", flat=True).first()
        if existing:
            return existing
        _lock_series(job)
        if (selectors.series_versions(of=job).aggregate(n=Max("number"))["n"] or 0) + 1 != number:
            return None
        version = ReportVersion(
            kind=job.kind,
            cooperation_id=job.cooperation_id,
            period_year=job.period_year,
            period_number=job.period_number,
            number=number,
            label=job.label,
            is_final=job.is_final,
            open_for_comments=job.open_for_comments,
            job=job,
            created_by=job.requested_by,
            created_at=generated_at,
            file_name=file_name,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            snapshot=snapshot,
        )
        version.file.save(f"{job.request_key.hex}/{file_name}", ContentFile(pdf), save=False)
        try:
            version.save()
            # The resolved comments this version lists (its snapshot's) are not listed again.
            listed = [comment["id"] for comment in snapshot.get("resolved_comments", [])]
            SummaryComment.objects.filter(pk__in=listed, listed_in__isnull=True).update(listed_in=version)
            if job.kind == Kind.SUMMARY and job.is_final:
                assert job.cooperation_id is not None  # report_job_subject_matches_kind
                series = SummarySeries.objects.get(cooperation_id=job.cooperation_id)
                series.is_closed = True
                series.changed_by = job.requested_by
                series.changed_at = generated_at
                series.save()
            job.status = ReportJob.Status.DONE
            job.finished_at = timezone.now()
            job.error = ""
            job.save(update_fields=["status", "finished_at", "error"])
            notifications.summary_published_notify(version=version)
            if job.kind == Kind.MONITORING:
                # The managers are told it is ready (their e-mails leave on commit).
                monitoring_version_published(version=version)
        except BaseException:
            version.file.delete(save=False)
            raise
    logger.info("Report job %s produced %s (%s bytes)", job_id, version, version.size)
    return version.pk


# --- Comments on summary versions ------------------------------------------------------------


def _comment_institution(*, user: User, cooperation: Cooperation) -> Institution | None:
    """The cooperation's party a focal point speaks for (its unit's ministry too); None: OEA."""
    ids = focal_institution_ids(user)
    for institution in (cooperation.requesting_institution, cooperation.providing_institution):
        if institution.pk in ids:
            return institution
    return None


def comment_refusal(*, version: ReportVersion) -> str | None:
    """Why the version takes no comments (None: it does)."""
    if version.kind != Kind.SUMMARY or not version.open_for_comments or version.is_final:
        return _("Esta versión no está abierta a comentarios.")
    assert version.cooperation_id is not None  # a summary names its cooperation
    latest = selectors.latest_summary_number(cooperation_id=version.cooperation_id)
    if latest is not None and latest > version.number:
        return _("Ya se publicó la versión %(number)s: los comentarios se hacen sobre la versión vigente.") % {
            "number": latest
        }
    return None


@transaction.atomic
def summary_comment_create(*, version: ReportVersion, section: str, text: str, by: User) -> SummaryComment:
    """A comment of the author's institution on one section of a version open to comments (its
    view sends it through core.services.submit_once: a double click sends one comment)."""
    require(by, COMMENT_SUMMARY, version.cooperation)
    refusal = comment_refusal(version=version)
    if refusal:
        raise ValidationError(refusal)
    assert version.cooperation is not None  # comment_refusal: a summary
    comment = SummaryComment(
        version=version,
        section=section,
        text=text.strip(),
        institution=_comment_institution(user=by, cooperation=version.cooperation),
        author=by,
    )
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def summary_comment_resolve(*, comment: SummaryComment, resolution: str, by: User) -> SummaryComment:
    """OEA staff close a comment with a short note of what was done; the next version lists it."""
    require(by, RESOLVE_SUMMARY_COMMENT, comment.version.cooperation)
    comment = SummaryComment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    if comment.status == SummaryComment.Status.RESOLVED:
        raise ValidationError(_("Este comentario ya fue resuelto."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Escriba brevemente cómo se resolvió el comentario.")})
    comment.status = SummaryComment.Status.RESOLVED
    comment.resolution = resolution.strip()
    comment.resolved_by = by
    comment.resolved_at = timezone.now()
    comment.full_clean()
    comment.save()
    return comment


# --- Narratives of the monitoring reports ------------------------------------------------------

NARRATIVE_FIELDS = ("executive_summary", "analysis", "recommendations", "signer_name", "signer_role")


class StaleNarrativeError(Exception):
    """Someone saved the period's narrative after the user opened it: `current` is what is
    stored now (its revision is the one to save from); nothing was written."""

    def __init__(self, current: MonitoringNarrative):
        super().__init__("The narrative was saved by someone else meanwhile.")
        self.current = current


@transaction.atomic
def monitoring_narrative_save(
    *, plan: Plan, period: Bimester, fields: Mapping[str, str], expected_revision: int | None, by: User
) -> MonitoringNarrative:
    """Write the narrative of a period (creating it on its first save), from the revision the
    user opened (None: the page was opened before the period had one). A save from another
    revision raises StaleNarrativeError and writes nothing; a save that changes nothing writes
    nothing either (a form sent twice). Every write is a new revision, kept in the history; the
    versions already generated keep the text they were generated with."""
    require(by, EDIT_MONITORING_NARRATIVE)
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of a monitoring narrative: {sorted(unknown)}")
    if period.year != plan.year:
        raise ValidationError(_("El periodo no pertenece al año del plan."))
    stored = (
        MonitoringNarrative.objects.select_for_update()
        .filter(plan=plan, period_year=period.year, period_number=period.number)
        .first()
    )
    if (stored.revision if stored else None) != expected_revision:
        if stored is None:  # a revision of a narrative that is not there: a page from another plan
            raise ValidationError(_("La narrativa que abrió ya no existe. Abra la página de nuevo."))
        raise StaleNarrativeError(stored)
    narrative = stored or MonitoringNarrative(
        plan=plan, period_year=period.year, period_number=period.number, revision=0
    )
    values = {name: (value or "").strip() for name, value in fields.items()}
    if stored and all(getattr(stored, name) == value for name, value in values.items()):
        return stored
    for name, value in values.items():
        setattr(narrative, name, value)
    narrative.revision += 1
    narrative.updated_by = by
    narrative.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            narrative.save()
    except IntegrityError:  # someone wrote the period's first narrative at the same moment
        raise StaleNarrativeError(
            MonitoringNarrative.objects.get(plan=plan, period_year=period.year, period_number=period.number)
        ) from None
    return narrative


@transaction.atomic
def monitoring_narrative_save_and_request(
    *,
    plan: Plan,
    period: Bimester,
    fields: Mapping[str, str],
    expected_revision: int | None,
    request_key: uuid.UUID,
    by: User,
) -> tuple[MonitoringNarrative, ReportJob]:
    """Save the narrative and ask for the period's report with it (one request key: a form sent
    twice makes one job). The job renders after this transaction commits, so its version carries
    this narrative."""
    require(by, REQUEST_MONITORING)
    narrative = monitoring_narrative_save(
        plan=plan, period=period, fields=fields, expected_revision=expected_revision, by=by
    )
    job, _created = monitoring_request(plan=plan, period=period, by=by, request_key=request_key)
    return narrative, job
