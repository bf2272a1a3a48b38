"""Writes to the PFC. Views call these; they check permissions and keep registers consistent."""

import datetime
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.decorators import require
from core.formats import names_text
from core.validators import dni_text
from rial_site.uploads import check_upload

from .models import (
    ActionSession,
    Attendance,
    Indicator,
    IndicatorReview,
    Measurement,
    PublicServant,
    Region,
    SatisfactionResponse,
    TrainingAction,
)
from .permissions import EDIT_PLAN, REMOVE_ACTION
from .selectors import action_dependents


class StaleActionError(Exception):
    """The action was saved by someone else after the user opened it; nothing was written."""

    def __init__(self, current: TrainingAction):
        super().__init__("The training action changed since it was opened.")
        self.current = current


ACTION_FIELDS = frozenset(
    {
        "kind",
        "title",
        "theme",
        "organisational_unit",
        "milestone",
        "programmed",
        "modality",
        "hours",
        "planned_start",
        "planned_end",
        "executed_start",
        "executed_end",
        "status",
        "facilitator",
        "minimum_attendance_percent",
    }
)


@transaction.atomic
def action_save(
    *,
    action: TrainingAction,
    fields: Mapping[str, Any],
    regions: Iterable[Region],
    expected_revision: int | None,
    by: User,
) -> TrainingAction:
    """Create (`action` unsaved) or update a training action with the given field values and
    target regions. An update must come from the revision the user opened, or StaleActionError
    is raised and nothing is written."""
    require(by, EDIT_PLAN)
    unknown = set(fields) - ACTION_FIELDS
    if unknown:
        raise TypeError(f"Not fields of a training action's form: {sorted(unknown)}")
    if action.pk is not None:
        current = TrainingAction.objects.select_for_update().get(pk=action.pk)
        if expected_revision != current.revision:
            raise StaleActionError(current)
        action.revision = current.revision + 1
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    action.target_regions.set(regions)
    return action


@transaction.atomic
def action_reschedule(*, action: TrainingAction, new_date: datetime.date, reason: str, by: User) -> TrainingAction:
    """Move the action to start on `new_date` (its end moves by as many days), for a reason
    that must be given, like a cancellation's. The first programmed dates are kept: every
    list, filter, indicator and report then places the action on its new dates and can say
    «reprogramada, antes …». Executed and cancelled actions are not rescheduled."""
    require(by, EDIT_PLAN)
    current = TrainingAction.objects.select_for_update().get(pk=action.pk)
    if current.status in (TrainingAction.Status.EXECUTED, TrainingAction.Status.CANCELLED):
        raise ValidationError(
            _("Una acción %(status)s no se reprograma.") % {"status": current.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError({"status_reason": _("Indique el motivo de la reprogramación.")})
    if new_date == current.planned_start:
        raise ValidationError({"planned_start": _("La nueva fecha es la fecha que ya tiene la acción.")})
    if current.original_start is None:  # a second reschedule keeps the first programmed dates
        current.original_start, current.original_end = current.planned_start, current.planned_end
    if current.planned_end is not None:
        current.planned_end += new_date - current.planned_start
    current.planned_start = new_date
    current.status, current.status_reason = TrainingAction.Status.RESCHEDULED, reason.strip()
    current.revision += 1
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def action_cancel(*, action: TrainingAction, reason: str, by: User) -> TrainingAction:
    require(by, EDIT_PLAN)
    action.status, action.status_reason = TrainingAction.Status.CANCELLED, reason
    action.revision += 1
    action.full_clean()  # a cancelled action needs its reason
    action.save()
    return action


@transaction.atomic
def action_delete(*, action: TrainingAction, by: User) -> None:
    """Delete a training action entered by mistake, with its sessions. Its history keeps it
    (django-simple-history records the deletion and who made it). An action with registers is
    not deleted: attendance and survey answers feed the indicators and reports, so the error
    names them (cancel the action instead, or remove them first)."""
    require(by, REMOVE_ACTION)
    locked = TrainingAction.objects.select_for_update().filter(pk=action.pk).first()
    if locked is None:
        return  # deleted meanwhile (a second click): nothing left to do
    dependents = action_dependents(action=locked)
    if dependents:
        registers = []
        if dependents.attendance:
            registers.append(
                ngettext("%(count)s registro de asistencia", "%(count)s registros de asistencia", dependents.attendance)
                % {"count": dependents.attendance}
            )
        if dependents.survey_responses:
            registers.append(
                ngettext(
                    "%(count)s respuesta de la encuesta de satisfacción",
                    "%(count)s respuestas de la encuesta de satisfacción",
                    dependents.survey_responses,
                )
                % {"count": dependents.survey_responses}
            )
        raise ValidationError(
            _(
                "No se puede eliminar la acción formativa «%(title)s» porque tiene %(registers)s, que cuentan en "
                "los indicadores y los informes. Si no se realizará, cancélela."
            )
            % {"title": locked.title, "registers": names_text(registers)},
            code="protected",
        )
    locked._history_user = by  # type: ignore[attr-defined]  # django-simple-history's author
    locked.delete()


@transaction.atomic
def action_session_add(
    *, action: TrainingAction, date: datetime.date, duration_hours: Decimal, topic: str, by: User
) -> ActionSession:
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


@dataclass(frozen=True)
class AttendanceRecorded:
    count: int  # marks the session holds now
    added: list[PublicServant]  # the new participants, marked present


@transaction.atomic
def attendance_record(
    *,
    session: ActionSession,
    marks: Mapping[int, str],
    by: User,
    originals: Mapping[int, str] | None = None,
    new_servants: Sequence[Mapping[str, Any]] = (),
) -> AttendanceRecorded:
    """Save the marks of one session's grid (servant id → present/absent/justified, or "" to
    remove a mark), after registering `new_servants` (each the arguments of servant_upsert) and
    marking them present; all of it or nothing. One row per servant and session.

    With `originals` (the marks the grid showed), only the marks the user changed are written,
    so two people marking the same session do not undo each other's work; if someone else
    changed one of those same marks meanwhile, AttendanceConflictError is raised."""
    require(by, EDIT_PLAN)
    valid = set(Attendance.Status.values)
    bad = {status for status in marks.values() if status and status not in valid}
    if bad:
        raise ValidationError(_("Marca de asistencia desconocida: %(marks)s.") % {"marks": ", ".join(sorted(bad))})
    # One save of a session's grid at a time: the marks it reads stay the marks it changes, and
    # two saves creating the same servant's mark do not collide on the one-per-session rule.
    list(ActionSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))
    added = [servant_upsert(**servant) for servant in new_servants]
    marks = {**marks, **{servant.pk: Attendance.Status.PRESENT.value for servant in added}}
    existing = {row.servant_id: row for row in Attendance.objects.filter(session=session)}
    if originals is not None:
        marks = {servant_id: status for servant_id, status in marks.items() if originals.get(servant_id, "") != status}
        conflicts = [
            servant_id
            for servant_id in marks
            if (existing[servant_id].status if servant_id in existing else "") != originals.get(servant_id, "")
        ]
        if conflicts:
            raise AttendanceConflictError(conflicts)
    to_create: list[Attendance] = []
    to_update: list[Attendance] = []
    to_delete: list[Attendance] = []
    for servant_id, status in marks.items():
        row = existing.get(servant_id)
        if not status:
            if row:
                to_delete.append(row)
        elif row is None:
            to_create.append(Attendance(session=session, servant_id=servant_id, status=status))
        elif row.status != status:
            row.status = status
            to_update.append(row)
    for row in to_delete:
        # One by one, so django-simple-history records each removal, with its author (the
        # documented `_history_user`) even outside a request: a DELETE and a history row each.
        row._history_user = by  # type: ignore[attr-defined]
        row.delete()
    Attendance.objects.bulk_create(to_create)
    Attendance.objects.bulk_update(to_update, ["status"])
    # Bulk operations skip django-simple-history's signals: record them explicitly.
    Attendance.history.bulk_history_create(to_create, default_user=by)
    Attendance.history.bulk_history_create(to_update, update=True, default_user=by)
    return AttendanceRecorded(count=Attendance.objects.filter(session=session).count(), added=added)


@transaction.atomic
def servant_upsert(
    *,
    full_name: str,
    region: Region,
    document_number: str = "",
    email: str = "",
    position: str = "",
    profile: str = "",
    is_demo: bool = False,
    rename: bool = False,
) -> PublicServant:
    """One identity per servant: the same DNI (else e-mail, else name and region) is the same
    person, whatever the action or file they come from. Two requests registering the same
    person at once make one row.

    A known servant keeps the name stored for them unless `rename`: a different spelling typed
    with a known DNI («Maria Condori» for «María Condori Apaza») is asked about (the grid's form)
    or reported (the import preview) first, never written silently. The other details are
    updated."""
    key = PublicServant.make_identity_key(
        document_number=document_number, email=email, full_name=full_name, region_id=region.pk
    )
    values: dict[str, Any] = {
        "full_name": " ".join(full_name.split()),
        "region": region,
        "document_number": dni_text(document_number),
        "email": email.strip(),
        "is_demo": is_demo,
    }
    # A blank position or profile keeps the one already known.
    values.update({name: value for name, value in (("position", position), ("profile", profile)) if value})
    candidate = PublicServant(identity_key=key, **values)
    candidate.full_clean(validate_unique=False)
    known = PublicServant.objects.select_for_update().filter(identity_key=key)
    servant = known.first()
    if servant is None:
        try:
            with transaction.atomic():  # a savepoint, so that a failed insert leaves the rest
                candidate.save(force_insert=True)
            return candidate
        except IntegrityError:  # a simultaneous request registered the same person first
            servant = known.first()
            if servant is None:
                raise
    if not rename:
        del values["full_name"]
    for name, value in values.items():
        setattr(servant, name, value)
    servant.save(update_fields=list(values))
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
    by: User,
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
    *,
    indicator: Indicator,
    year: int,
    bimester: int,
    value: Decimal,
    note: str,
    evidence: UploadedFile | None,
    by: User,
) -> Measurement:
    """A manual indicator's value for a period (one per period: recording again replaces it,
    also when two people record it at the same moment)."""
    require(by, EDIT_PLAN)
    if indicator.is_computed:
        raise ValidationError(_("Este indicador se calcula de los registros; no se escribe a mano."))
    if evidence:
        check_upload(evidence)
    values: dict[str, Any] = {"value": value, "note": note, "recorded_by": by}
    if evidence:
        values.update(evidence=evidence, evidence_name=evidence.name)
    # One row per period is the database's constraint, kept by update_or_create.
    Measurement(indicator=indicator, year=year, bimester=bimester, **values).full_clean(
        validate_unique=False, validate_constraints=False
    )
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator, year=year, bimester=bimester, defaults=values
    )
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
    corrective_action_due: datetime.date | None,
    by: User,
) -> IndicatorReview:
    """Why the indicator is off track in a period (one per period: recording again replaces it,
    also when two people record it at the same moment)."""
    require(by, EDIT_PLAN)
    values: dict[str, Any] = {
        "reason": reason,
        "explanation": explanation,
        "corrective_action": corrective_action,
        "corrective_action_due": corrective_action_due,
        "recorded_by": by,
    }
    # One row per period is the database's constraint, kept by update_or_create.
    IndicatorReview(indicator=indicator, year=year, bimester=bimester, **values).full_clean(
        validate_unique=False, validate_constraints=False
    )
    review, _created = IndicatorReview.objects.update_or_create(
        indicator=indicator, year=year, bimester=bimester, defaults=values
    )
    return review


INDICATOR_FIELDS = frozenset(
    {
        "name",
        "kind",
        "unit",
        "baseline",
        "target",
        "direction",
        "risk_margin",
        "source",
        "scope",
        "survey_aspects",
    }
)


@transaction.atomic
def indicator_update(*, indicator: Indicator, fields: Mapping[str, Any], by: User) -> Indicator:
    """Change an indicator's definition: its target and how it is computed."""
    require(by, EDIT_PLAN)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise TypeError(f"Not editable fields of an indicator: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator
