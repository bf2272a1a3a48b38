"""Writes to the PFC. Views call these; they check permissions and keep registers consistent."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import require
from rial_site.uploads import check_upload

from .models import (
    ActionSession,
    Attendance,
    Indicator,
    IndicatorReview,
    Measurement,
    PublicServant,
    SatisfactionResponse,
    TrainingAction,
)
from .permissions import EDIT_PLAN


class StaleActionError(Exception):
    """The action was saved by someone else after the user opened it; nothing was written."""

    def __init__(self, current: TrainingAction):
        super().__init__("The training action changed since it was opened.")
        self.current = current


@transaction.atomic
def action_save(*, action: TrainingAction, regions, expected_revision: int | None, by) -> TrainingAction:
    """Create or update a training action (with its target regions). An update must come from
    the revision the user opened, or StaleActionError is raised and nothing is written."""
    require(by, EDIT_PLAN)
    if action.pk is not None:
        current = TrainingAction.objects.select_for_update().get(pk=action.pk)
        if expected_revision != current.revision:
            raise StaleActionError(current)
        action.revision = current.revision + 1
    action.full_clean()
    action.save()
    action.target_regions.set(regions)
    return action


def _action_set_status(*, action: TrainingAction, status: str, reason: str, by, new_date=None) -> TrainingAction:
    require(by, EDIT_PLAN)
    action.status, action.status_reason = status, reason
    if new_date is not None:
        action.new_date = new_date
    action.revision += 1
    action.full_clean()  # a rescheduled action needs its new date, a cancelled one its reason
    action.save()
    return action


@transaction.atomic
def action_reschedule(*, action: TrainingAction, new_date: datetime.date, reason: str, by) -> TrainingAction:
    return _action_set_status(
        action=action, status=TrainingAction.Status.RESCHEDULED, reason=reason, new_date=new_date, by=by
    )


@transaction.atomic
def action_cancel(*, action: TrainingAction, reason: str, by) -> TrainingAction:
    return _action_set_status(action=action, status=TrainingAction.Status.CANCELLED, reason=reason, by=by)


@transaction.atomic
def action_session_add(*, action: TrainingAction, date: datetime.date, duration_hours, topic: str, by) -> ActionSession:
    require(by, EDIT_PLAN)
    session = ActionSession(action=action, date=date, duration_hours=duration_hours, topic=topic)
    session.full_clean()
    session.save()
    return session


class AttendanceConflictError(Exception):
    """Someone changed some of the same marks since the grid was opened; nothing was saved."""

    def __init__(self, servant_ids: list[int]):
        super().__init__("Attendance marks changed since the grid was opened.")
        self.servant_ids = servant_ids


@transaction.atomic
def attendance_record(
    *, session: ActionSession, marks: dict[int, str], by, originals: dict[int, str] | None = None
) -> int:
    """Save the marks of one session's grid (servant id → present/absent/justified, or "" to
    remove a mark). One row per servant and session. Returns the number of marks stored.

    With `originals` (the marks the grid showed), only the marks the user changed are written,
    so two people marking the same session do not undo each other's work; if someone else
    changed one of those same marks meanwhile, AttendanceConflictError is raised."""
    require(by, EDIT_PLAN)
    valid = set(Attendance.Status.values)
    bad = {status for status in marks.values() if status and status not in valid}
    if bad:
        raise ValidationError(_("Marca de asistencia desconocida: %(marks)s.") % {"marks": ", ".join(sorted(bad))})
    existing = {row.servant_id: row for row in Attendance.objects.select_for_update().filter(session=session)}
    if originals is not None:
        marks = {servant_id: status for servant_id, status in marks.items() if originals.get(servant_id, "") != status}
        conflicts = [
            servant_id
            for servant_id in marks
            if (existing[servant_id].status if servant_id in existing else "") != originals.get(servant_id, "")
        ]
        if conflicts:
            raise AttendanceConflictError(conflicts)
    to_create, to_update, to_delete = [], [], []
    for servant_id, status in marks.items():
        row = existing.get(servant_id)
        if not status:
            if row:
                to_delete.append(row.pk)
        elif row is None:
            to_create.append(Attendance(session=session, servant_id=servant_id, status=status))
        elif row.status != status:
            row.status = status
            to_update.append(row)
    Attendance.objects.filter(pk__in=to_delete).delete()
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status"])
    # bulk operations skip django-simple-history's signals: record them explicitly.
    Attendance.history.bulk_history_create(to_create + to_update, default_user=by)
    return Attendance.objects.filter(session=session).count()


@transaction.atomic
def servant_upsert(
    *,
    full_name: str,
    region,
    document_number: str = "",
    email: str = "",
    position: str = "",
    profile: str = "",
    is_demo: bool = False,
) -> PublicServant:
    """One identity per servant: the same DNI (else e-mail, else name and region) is the same
    person, whatever the action or file they come from."""
    key = PublicServant.make_identity_key(
        document_number=document_number, email=email, full_name=full_name, region_id=region.pk
    )
    servant = PublicServant.objects.filter(identity_key=key).first() or PublicServant(identity_key=key)
    servant.full_name = " ".join(full_name.split())
    servant.region = region
    servant.document_number = document_number.strip()
    servant.email = email.strip()
    servant.position = position or servant.position
    servant.profile = profile or servant.profile
    servant.is_demo = is_demo
    servant.full_clean(validate_unique=False)
    servant.save()
    return servant


def survey_source_key(
    *, action_id: int, submitted_at: datetime.datetime, servant_key: str, ratings: tuple, comments: str
) -> str:
    """A fingerprint of one survey answer: importing the same file twice stores it once."""
    text = "|".join([str(action_id), submitted_at.isoformat(), servant_key, *map(str, ratings), comments.strip()])
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def survey_response_create(
    *,
    action: TrainingAction,
    servant: PublicServant | None,
    ratings: dict[str, int],
    comments: str,
    by,
    submitted_at: datetime.datetime | None = None,
) -> SatisfactionResponse:
    require(by, EDIT_PLAN)
    submitted_at = submitted_at or timezone.now()
    response = SatisfactionResponse(
        action=action, servant=servant, comments=comments, submitted_at=submitted_at, **ratings
    )
    response.source_key = survey_source_key(
        action_id=action.pk,
        submitted_at=submitted_at,
        servant_key=servant.identity_key if servant else "",
        ratings=tuple(ratings[name] for name in SatisfactionResponse.DIMENSIONS),
        comments=comments,
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, year: int, bimester: int, value, note: str, evidence, by
) -> Measurement:
    """A manual indicator's value for a period (one per period: recording again replaces it)."""
    require(by, EDIT_PLAN)
    if indicator.is_computed:
        raise ValidationError(_("Este indicador se calcula de los registros; no se escribe a mano."))
    if evidence:
        check_upload(evidence)
    measurement = Measurement.objects.filter(indicator=indicator, year=year, bimester=bimester).first() or Measurement(
        indicator=indicator, year=year, bimester=bimester
    )
    measurement.value, measurement.note, measurement.recorded_by = value, note, by
    if evidence:
        measurement.evidence = evidence
        measurement.evidence_name = evidence.name
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def indicator_review_record(
    *,
    indicator: Indicator,
    year: int,
    bimester: int,
    reason: str,
    explanation: str,
    corrective_action: str,
    corrective_action_due,
    by,
) -> IndicatorReview:
    require(by, EDIT_PLAN)
    review = IndicatorReview.objects.filter(
        indicator=indicator, year=year, bimester=bimester
    ).first() or IndicatorReview(indicator=indicator, year=year, bimester=bimester)
    review.reason, review.explanation, review.corrective_action = reason, explanation, corrective_action
    review.corrective_action_due, review.recorded_by = corrective_action_due, by
    review.full_clean()
    review.save()
    return review
