"""Issuing and revoking certificates.

`training_certificates_request` / `participation_certificates_request` record a job (once per
request key) and queue it after the transaction commits; `certificate_job_run` is what the Celery
task does: it issues the certificate of every servant who qualifies (or every participant), one
PDF each, then the ZIP of all the valid certificates of the action or cooperation. Issuing is
idempotent: a subject that already has a certificate keeps it, with its code and its PDF (a
revoked one stays revoked), so running a job twice, or a second job, issues nothing twice. While a
job runs, a thread of the worker touches its heartbeat (core.heartbeat); `job_fail_stale` (beat)
marks failed a job whose worker died, and asking again issues what is missing.
"""

import datetime
import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, QuerySet
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.decorators import require
from capacity_plan.models import TrainingAction
from cooperations.models import Cooperation, Participation
from cooperations.models import Session as CooperationSession
from core.heartbeat import heartbeat

from . import models
from .eligibility import action_eligibility
from .models import Certificate, CertificateJob, CertificateKind
from .permissions import ISSUE_PARTICIPATION_CERTIFICATES, ISSUE_TRAINING_CERTIFICATES, REVOKE_CERTIFICATE
from .rendering import certificate_file_name, certificate_pdf, certificates_zip, mask_document

logger = logging.getLogger(__name__)

REVOCATION_REASON_MAX_LENGTH = 1000


def _queue(job: CertificateJob) -> None:
    from .tasks import issue_certificates

    transaction.on_commit(lambda: issue_certificates.delay(job.pk))


def _job_create(*, request_key: uuid.UUID, **fields: Any) -> tuple[CertificateJob, bool]:
    existing = CertificateJob.objects.filter(request_key=request_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            job = CertificateJob.objects.create(request_key=request_key, **fields)
    except IntegrityError:  # the same form sent twice at once: the other insert won
        return CertificateJob.objects.get(request_key=request_key), False
    _queue(job)
    return job, True


@transaction.atomic
def training_certificates_request(
    *, action: TrainingAction, by: User, request_key: uuid.UUID
) -> tuple[CertificateJob, bool]:
    """Ask for the certificates of everyone who qualifies in the action. Refused when nobody does
    yet. Returns (job, created), once per request key."""
    require(by, ISSUE_TRAINING_CERTIFICATES)
    if not any(row.qualifies for row in action_eligibility(action=action)):
        raise ValidationError(_("Nadie cumple aún los requisitos del certificado de esta acción."))
    return _job_create(request_key=request_key, kind=CertificateKind.TRAINING, action=action, requested_by=by)


@transaction.atomic
def participation_certificates_request(
    *, cooperation: Cooperation, by: User, request_key: uuid.UUID
) -> tuple[CertificateJob, bool]:
    """Ask for a certificate of participation for every participant of the cooperation."""
    require(by, ISSUE_PARTICIPATION_CERTIFICATES)
    if not cooperation.participations.exists():
        raise ValidationError(_("La cooperación aún no tiene participantes."))
    return _job_create(
        request_key=request_key, kind=CertificateKind.PARTICIPATION, cooperation=cooperation, requested_by=by
    )


# --- Running a job ---------------------------------------------------------------------------------


@dataclass
class _Subject:
    """One certificate to issue: how to find it and the facts to freeze if it is new."""

    lookup: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)


def _training_subjects(action: TrainingAction) -> tuple[list[_Subject], list[dict[str, str]]]:
    dates = action.sessions.aggregate(first=Min("date"), last=Max("date"))
    unit = action.organisational_unit
    subjects = [
        _Subject(
            lookup={"kind": CertificateKind.TRAINING, "action": action, "servant": row.servant},
            facts={
                "holder_name": row.servant.full_name,
                "document_masked": mask_document(row.servant.document_number),
                "title": action.title,
                "subject_kind": action.get_kind_display(),
                "hours": row.hours_attended,
                "start_date": dates["first"] or action.executed_start or action.planned_start,
                "end_date": dates["last"] or action.executed_end or action.planned_end,
                "issuer": _("Ministerio de Trabajo y Promoción del Empleo – %(unit)s") % {"unit": unit},
            },
        )
        for row in action_eligibility(action=action)
        if row.qualifies
    ]
    signers = [
        {"name": "", "role": _("Responsable de %(unit)s") % {"unit": unit.name or unit.acronym}},
        {"name": "", "role": _("Oficina de Descentralización (ODES)")},
    ]
    return subjects, signers


def _session_day(session: CooperationSession) -> datetime.date | None:
    if session.starts_at:
        return timezone.localtime(session.starts_at, ZoneInfo(session.time_zone)).date()
    return session.date


def _participation_subjects(cooperation: Cooperation) -> tuple[list[_Subject], list[dict[str, str]]]:
    # The sessions held so far (not cancelled, on a day already past or today).
    today = timezone.localdate()
    sessions = [
        session
        for session in cooperation.sessions.exclude(status=CooperationSession.Status.CANCELLED)
        if (day := _session_day(session)) is not None and day <= today
    ]
    days = sorted(day for day in map(_session_day, sessions) if day)
    seconds = sum(
        (session.ends_at - session.starts_at).total_seconds()
        for session in sessions
        if session.starts_at and session.ends_at and session.ends_at > session.starts_at
    )
    hours = (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1")) if seconds else None
    participations = Participation.objects.filter(cooperation=cooperation).select_related("person")
    subjects = [
        _Subject(
            lookup={"kind": CertificateKind.PARTICIPATION, "participation": participation},
            facts={
                "cooperation": cooperation,
                "holder_name": participation.person.full_name,
                "title": cooperation.title,
                "subject_kind": _("Cooperación bilateral RIAL"),
                "hours": hours,
                "start_date": days[0] if days else None,
                "end_date": days[-1] if days else None,
                "issuer": _(
                    "Organización de los Estados Americanos (OEA) – Red Interamericana para la Administración Laboral (RIAL)"
                ),
            },
        )
        for participation in participations
    ]
    signers = [{"name": "", "role": _("Departamento de Desarrollo Humano, Educación y Empleo – OEA")}]
    return subjects, signers


def _job_mark_running(*, job_id: int) -> CertificateJob | None:
    with transaction.atomic():
        job = CertificateJob.objects.select_for_update().get(pk=job_id)
        if job.status == CertificateJob.Status.DONE:
            return None
        job.status = CertificateJob.Status.RUNNING
        job.started_at = job.heartbeat_at = timezone.now()
        job.attempts += 1
        job.error = ""
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "error"])
    return CertificateJob.objects.select_related("action__organisational_unit", "cooperation").get(pk=job_id)


def _certificate_for(subject: _Subject, *, job: CertificateJob) -> tuple[Certificate, bool]:
    """The subject's certificate: the one it has, or a new one with the facts of today."""
    existing = Certificate.objects.filter(**subject.lookup).first()
    if existing:
        return existing, False
    certificate = Certificate(**subject.lookup, **subject.facts, issued_at=timezone.now(), issued_by=job.requested_by)
    certificate._history_user = job.requested_by  # type: ignore[attr-defined]  # django-simple-history
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:  # another job issued it at the same moment
        return Certificate.objects.get(**subject.lookup), False
    return certificate, True


def _attach_pdf(certificate: Certificate, *, signers: list[dict[str, str]]) -> None:
    pdf = certificate_pdf(certificate, signers=signers)
    name = certificate_file_name(certificate)
    prefix = f"action-{certificate.action_id}" if certificate.action_id else f"cooperation-{certificate.cooperation_id}"
    certificate.file.save(f"{prefix}/{certificate.code}.pdf", ContentFile(pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(
        file=certificate.file.name, file_name=name, sha256=hashlib.sha256(pdf).hexdigest()
    )
    certificate.file_name = name


def certificate_job_run(*, job_id: int) -> int:
    """Issue the job's certificates and its ZIP; returns how many certificates were new. A job
    already done does nothing."""
    job = _job_mark_running(job_id=job_id)
    if job is None:
        return CertificateJob.objects.values_list("issued", flat=True).get(pk=job_id)
    running = CertificateJob.objects.filter(pk=job_id, status=CertificateJob.Status.RUNNING)
    with heartbeat(running, interval=models.HEARTBEAT_INTERVAL, name=f"certificate-job-{job_id}"):
        with translation.override("es"):
            return _issue(job, running)


def _issue(job: CertificateJob, running: QuerySet[CertificateJob]) -> int:
    if job.kind == CertificateKind.TRAINING:
        assert job.action is not None  # certificate_job_subject_matches_kind
        subjects, signers = _training_subjects(job.action)
        scope: dict[str, Any] = {"action": job.action}
        title = job.action.title
    else:
        assert job.cooperation is not None  # certificate_job_subject_matches_kind
        subjects, signers = _participation_subjects(job.cooperation)
        scope = {"cooperation": job.cooperation}
        title = job.cooperation.short_name
    running.update(total=len(subjects), processed=0)
    issued = 0
    for number, subject in enumerate(subjects, start=1):
        certificate, created = _certificate_for(subject, job=job)
        issued += created
        if not certificate.file:
            _attach_pdf(certificate, signers=signers)
        running.update(processed=number, issued=issued)
    valid = Certificate.objects.filter(kind=job.kind, status=Certificate.Status.VALID, **scope).order_by(
        "holder_name", "pk"
    )
    archive = certificates_zip(valid)
    archive_name = f"certificados-{slugify(title)[:60]}.zip"
    with transaction.atomic():
        job = CertificateJob.objects.select_for_update().get(pk=job.pk)
        if job.status == CertificateJob.Status.DONE:  # another delivery finished first
            return job.issued
        job.archive.save(f"{job.request_key.hex}/{archive_name}", ContentFile(archive), save=False)
        job.archive_name = archive_name
        job.status = CertificateJob.Status.DONE
        job.issued = issued
        job.processed = len(subjects)
        job.finished_at = timezone.now()
        job.save(update_fields=["archive", "archive_name", "status", "issued", "processed", "finished_at"])
    logger.info("Certificate job %s issued %s new certificates of %s", job.pk, issued, len(subjects))
    return issued


def job_mark_failed(*, job_id: int, reason: str) -> None:
    CertificateJob.objects.filter(pk=job_id).exclude(status=CertificateJob.Status.DONE).update(
        status=CertificateJob.Status.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def job_fail_stale(*, now: datetime.datetime) -> int:
    """Mark failed the running jobs whose worker stopped heartbeating or outlived its time limit;
    returns how many (one UPDATE that checks staleness again)."""
    with translation.override("es"):
        reason = _(
            "El emisor de certificados dejó de responder (probablemente se detuvo o se reinició). "
            "Vuelva a emitir: los certificados ya emitidos se conservan."
        )
    count = CertificateJob.objects.stale(now=now).update(
        status=CertificateJob.Status.FAILED, error=reason, finished_at=now
    )
    if count:
        logger.warning("Marked %s stale certificate jobs failed", count)
    return count


# --- Revoking ----------------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by: User) -> Certificate:
    """Revoke a valid certificate with a reason (kept in its history). Its verification page says
    so from now on; it is never issued again."""
    require(by, REVOKE_CERTIFICATE, certificate)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status == Certificate.Status.REVOKED:
        raise ValidationError(_("Este certificado ya fue revocado."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique el motivo de la revocación.")})
    if len(reason) > REVOCATION_REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("El motivo admite hasta %(n)s caracteres.") % {"n": REVOCATION_REASON_MAX_LENGTH}}
        )
    certificate.status = Certificate.Status.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = by
    certificate.revocation_reason = reason
    certificate._history_user = by  # type: ignore[attr-defined]  # django-simple-history
    certificate.save()
    return certificate
