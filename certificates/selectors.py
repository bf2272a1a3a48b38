"""Reads of the certificates: the panels of the action and cooperation pages, jobs, one
certificate, and the public look-up by code."""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.decorators import require
from capacity_plan.models import TrainingAction
from cooperations.models import Cooperation, Participation

from .eligibility import Eligibility, action_eligibility
from .models import Certificate, CertificateJob, CertificateKind
from .permissions import (
    ISSUE_PARTICIPATION_CERTIFICATES,
    ISSUE_TRAINING_CERTIFICATES,
    REVOKE_CERTIFICATE,
    SEE_CERTIFICATE,
    SEE_PARTICIPATION_CERTIFICATES,
    SEE_TRAINING_CERTIFICATES,
)

# What a code looks like (secrets.token_urlsafe); anything else is unknown without a query.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class EligibilityRow:
    eligibility: Eligibility
    certificate: Certificate | None


def _latest_job(**subject: Any) -> CertificateJob | None:
    return (
        CertificateJob.objects.filter(**subject).select_related("requested_by").order_by("-requested_at", "-pk").first()
    )


def action_certificates_panel(*, action: TrainingAction, user: User) -> dict[str, Any] | None:
    """The certificates part of an action's page: who qualifies and why the others do not, each
    one's certificate, and the latest issuing job. None for a user who may not see it. A constant
    number of queries."""
    if not user.has_perm(SEE_TRAINING_CERTIFICATES):
        return None
    certificates = {
        certificate.servant_id: certificate
        for certificate in Certificate.objects.filter(kind=CertificateKind.TRAINING, action=action)
    }
    rows = [EligibilityRow(row, certificates.get(row.servant.pk)) for row in action_eligibility(action=action)]
    rows.sort(key=lambda row: not row.eligibility.qualifies)  # stable: alphabetical within each group
    return {
        "rows": rows,
        "qualified": sum(row.eligibility.qualifies for row in rows),
        "issued": sum(1 for row in rows if row.certificate),
        "job": _latest_job(kind=CertificateKind.TRAINING, action=action),
        "can_issue": user.has_perm(ISSUE_TRAINING_CERTIFICATES),
        "can_revoke": user.has_perm(ISSUE_TRAINING_CERTIFICATES),
        "minimum_percent": action.minimum_attendance_percent,
        "is_diploma": action.kind == TrainingAction.Kind.DIPLOMA,
        "request_key": uuid.uuid4(),  # the «Emitir certificados» form's (IssueForm)
    }


@dataclass(frozen=True)
class ParticipantRow:
    participation: Participation
    certificate: Certificate | None


def cooperation_certificates_panel(*, cooperation: Cooperation, user: User) -> dict[str, Any] | None:
    """The certificates part of a cooperation's page, for OEA staff (and managers, read only)."""
    if not user.has_perm(SEE_PARTICIPATION_CERTIFICATES):
        return None
    certificates = {
        certificate.participation_id: certificate
        for certificate in Certificate.objects.filter(kind=CertificateKind.PARTICIPATION, cooperation=cooperation)
    }
    participations = Participation.objects.filter(cooperation=cooperation).select_related("person", "institution")
    rows = [ParticipantRow(participation, certificates.get(participation.pk)) for participation in participations]
    return {
        "rows": rows,
        "issued": sum(1 for row in rows if row.certificate),
        "job": _latest_job(kind=CertificateKind.PARTICIPATION, cooperation=cooperation),
        "can_issue": user.has_perm(ISSUE_PARTICIPATION_CERTIFICATES),
        "can_revoke": user.has_perm(ISSUE_PARTICIPATION_CERTIFICATES),
        "request_key": uuid.uuid4(),
    }


def job_get(*, pk: int, user: User) -> CertificateJob:
    """A job the user may see (403 otherwise)."""
    job = get_object_or_404(CertificateJob.objects.select_related("action", "cooperation", "requested_by"), pk=pk)
    require(user, SEE_CERTIFICATE, job)
    return job


def certificate_get(*, pk: int, user: User, revoke: bool = False) -> Certificate:
    """A certificate the user may see (or revoke), 403 otherwise."""
    certificate = get_object_or_404(Certificate.objects.select_related("action", "cooperation"), pk=pk)
    require(user, REVOKE_CERTIFICATE if revoke else SEE_CERTIFICATE, certificate)
    return certificate


def certificate_history(*, certificate: Certificate) -> QuerySet:
    history: QuerySet = certificate.history.all()
    return history.select_related("history_user").order_by("-history_date", "-history_id")


def certificate_for_code(*, code: str) -> Certificate | None:
    """The certificate a verification code names, or None (also for anything not shaped like one)."""
    if not CODE_PATTERN.fullmatch(code or ""):
        return None
    return Certificate.objects.filter(code=code).first()
