"""Self check-in and the survey that follows it (issue 15): the writes and reads of the public
pages (capacity_plan.public_urls) and of the staff page that opens a session's link.

A session has at most one active CheckInLink; ODES opens it with a window (by default from
CHECK_IN_OPENS_BEFORE_MINUTES before the session to CHECK_IN_CLOSES_AFTER_MINUTES after it),
closes it, or renews it (the old address then says it was replaced). A participant's check-in
finds or registers the servant by the same identity rules as the imports (servant_upsert: DNI
first) and marks them present in the session's Attendance, the register the grid and the
imports write, so indicators change at once. Once per servant and session: a second check-in
changes nothing. The survey answer is a SatisfactionResponse of the action, linked to the
servant unless they chose to answer anonymously; the CheckIn row only says it was answered.
"""

import datetime
import secrets
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import require
from core.dates import AmbiguousLocalTime, NonexistentLocalTime, local_moment
from core.formats import date_text, time_text

from .models import (
    ActionSession,
    Attendance,
    CheckIn,
    CheckInLink,
    PublicServant,
    SatisfactionResponse,
    TrainingAction,
)
from .permissions import EDIT_PLAN
from .services import servant_upsert, survey_source_key

DEFAULT_START = datetime.time(9, 0)


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- Reads -------------------------------------------------------------------------------------


def check_in_default_window(
    *, session: ActionSession, now: datetime.datetime | None = None
) -> tuple[datetime.datetime, datetime.datetime]:
    """The window offered when opening check-in: the session starting at 09:00 of its day (or
    now, when it is that day already and later), from CHECK_IN_OPENS_BEFORE_MINUTES before its
    start to CHECK_IN_CLOSES_AFTER_MINUTES after its end."""
    now = now or timezone.now()
    try:
        start = local_moment(session.date, DEFAULT_START, _zone())
    except (NonexistentLocalTime, AmbiguousLocalTime):
        start = datetime.datetime.combine(session.date, DEFAULT_START, tzinfo=_zone())
    before = datetime.timedelta(minutes=settings.CHECK_IN_OPENS_BEFORE_MINUTES)
    if timezone.localtime(now, _zone()).date() == session.date and now > start - before:
        start = now.replace(second=0, microsecond=0) + before
    end = start + datetime.timedelta(hours=float(session.duration_hours))
    return start - before, end + datetime.timedelta(minutes=settings.CHECK_IN_CLOSES_AFTER_MINUTES)


def check_in_link_current(*, session: ActionSession) -> CheckInLink | None:
    """The session's active link, else its latest one (closed), else None."""
    links = CheckInLink.objects.filter(session=session).exclude(state=CheckInLink.State.RENEWED)
    return links.order_by("state", "-created_at", "-pk").first()  # "active" sorts before "closed"


def check_in_link_by_token(*, token: str) -> CheckInLink | None:
    return CheckInLink.objects.select_related("session__action").filter(token=token).first()


def check_in_by_ticket(*, ticket: str) -> CheckIn | None:
    return CheckIn.objects.select_related("session__action").filter(survey_ticket=ticket).first()


def check_in_url(*, link: CheckInLink) -> str:
    """The short absolute address of a link (SITE_URL), for the QR code and the Zoom chat."""
    return settings.SITE_URL + reverse("check_in:check_in", args=[link.token])


@dataclass(frozen=True)
class SessionRegisters:
    session: ActionSession
    present: int  # present marks in the session (from the grid, the imports and check-in)
    recorded: int  # every mark
    checked_in: int  # of them, by the participants themselves
    surveys: int  # surveys answered after checking in (anonymous ones too)
    link: CheckInLink | None  # the active link


def action_registers(*, action: TrainingAction, now: datetime.datetime | None = None) -> list[SessionRegisters]:
    """Per session of the action: attendance and self check-in counts and its active link, in a
    fixed number of queries (the live counts on the action page)."""
    sessions = list(
        ActionSession.objects.filter(action=action)
        .annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT), distinct=True),
            recorded=Count("attendance", distinct=True),
        )
        .order_by("date", "pk")
    )
    self_counts: dict[int, dict[str, int]] = {
        row["session_id"]: {"checked_in": row["checked_in"], "surveys": row["surveys"]}
        for row in CheckIn.objects.filter(session__action=action)
        .values("session_id")
        .annotate(checked_in=Count("pk"), surveys=Count("pk", filter=Q(survey_answered=True)))
    }
    links = {
        link.session_id: link
        for link in CheckInLink.objects.filter(session__action=action, state=CheckInLink.State.ACTIVE)
    }
    return [
        SessionRegisters(
            session=session,
            present=session.present,
            recorded=session.recorded,
            checked_in=self_counts.get(session.pk, {}).get("checked_in", 0),
            surveys=self_counts.get(session.pk, {}).get("surveys", 0),
            link=links.get(session.pk),
        )
        for session in sessions
    ]


# --- Refusals ----------------------------------------------------------------------------------


class CheckInRefused(Exception):
    """The link cannot take a check-in now; `message` says why, in Spanish; nothing was written."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.message = message
        self.gone = gone  # the link was closed or replaced (410)


def _moment_text(moment: datetime.datetime) -> dict[str, str]:
    local = timezone.localtime(moment, _zone())
    return {"date": date_text(local), "time": time_text(local)}


def check_in_link_refusal(*, link: CheckInLink, now: datetime.datetime) -> CheckInRefused | None:
    """Why the link takes no check-in at `now` (None when it does)."""
    if link.state == CheckInLink.State.RENEWED:
        return CheckInRefused(
            _(
                "Este enlace fue reemplazado por uno nuevo y ya no registra asistencia. Pida a los "
                "organizadores el enlace vigente o escanee el código QR que se muestra ahora."
            ),
            gone=True,
        )
    if link.state == CheckInLink.State.CLOSED:
        return CheckInRefused(
            _("El registro de asistencia de esta sesión está cerrado. No se guardó ningún dato."), gone=True
        )
    if now < link.opens_at:
        return CheckInRefused(
            _("El registro de asistencia de esta sesión aún no abre: abre el %(date)s a las %(time)s.")
            % _moment_text(link.opens_at)
        )
    if now >= link.closes_at:
        return CheckInRefused(
            _("El registro de asistencia de esta sesión cerró el %(date)s a las %(time)s. No se guardó ningún dato.")
            % _moment_text(link.closes_at)
        )
    return None


# --- Writes by ODES ----------------------------------------------------------------------------


def _check_window(opens_at: datetime.datetime, closes_at: datetime.datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("El cierre debe ser posterior a la apertura.")})
    if closes_at - opens_at > datetime.timedelta(days=2):
        raise ValidationError({"closes_at": _("El registro puede quedar abierto como máximo dos días.")})


@transaction.atomic
def check_in_link_open(
    *, session: ActionSession, opens_at: datetime.datetime, closes_at: datetime.datetime, by: User
) -> CheckInLink:
    """Open check-in for the session with this window; an active link keeps its address and
    takes the new window (a second click opens nothing twice)."""
    require(by, EDIT_PLAN)
    _check_window(opens_at, closes_at)
    list(ActionSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))
    link = CheckInLink.objects.filter(session=session, state=CheckInLink.State.ACTIVE).first()
    if link is None:
        return CheckInLink.objects.create(session=session, opens_at=opens_at, closes_at=closes_at, created_by=by)
    link.opens_at, link.closes_at = opens_at, closes_at
    link.save(update_fields=["opens_at", "closes_at"])
    return link


@transaction.atomic
def check_in_link_close(*, session: ActionSession, by: User) -> None:
    require(by, EDIT_PLAN)
    CheckInLink.objects.filter(session=session, state=CheckInLink.State.ACTIVE).update(state=CheckInLink.State.CLOSED)


@transaction.atomic
def check_in_link_renew(*, session: ActionSession, by: User) -> CheckInLink:
    """A new address for the session's check-in, with the window of the link it replaces (or the
    default one); the old address then says it was replaced."""
    require(by, EDIT_PLAN)
    list(ActionSession.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))
    old = check_in_link_current(session=session)
    if old is not None:
        opens_at, closes_at = old.opens_at, old.closes_at
    else:
        opens_at, closes_at = check_in_default_window(session=session)
    CheckInLink.objects.filter(session=session).exclude(state=CheckInLink.State.RENEWED).update(
        state=CheckInLink.State.RENEWED
    )
    return CheckInLink.objects.create(session=session, opens_at=opens_at, closes_at=closes_at, created_by=by)


# --- Writes by the participants (no account) -----------------------------------------------------


@dataclass(frozen=True)
class CheckInResult:
    check_in: CheckIn
    already: bool  # the servant was present already: nothing changed


def servant_by_document(*, document_number: str) -> PublicServant | None:
    """The servant registered with this DNI (the first identity rule of the imports)."""
    key = PublicServant.make_identity_key(document_number=document_number, email="", full_name="", region_id=None)
    return PublicServant.objects.filter(identity_key=key).first()


@transaction.atomic
def check_in_record(
    *,
    link: CheckInLink,
    document_number: str,
    details: Mapping[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> CheckInResult:
    """Check the servant with this DNI in to the link's session. A known servant only confirms
    (`details` None: their stored data is kept); an unknown one gives `details` (full_name,
    email, region, position) and is registered by servant_upsert. Refused (CheckInRefused, nothing
    written) outside the window or on a closed or replaced link. Once per servant and session:
    a servant present already gets `already` and nothing changes."""
    now = now or timezone.now()
    link = CheckInLink.objects.select_for_update().select_related("session").get(pk=link.pk)
    refusal = check_in_link_refusal(link=link, now=now)
    if refusal is not None:
        raise refusal
    session = link.session
    if details is None:
        servant = servant_by_document(document_number=document_number)
        if servant is None:
            raise ValidationError(_("No hay ninguna persona registrada con ese DNI; escriba sus datos."))
    else:
        servant = servant_upsert(
            full_name=details["full_name"],
            region=details["region"],
            document_number=document_number,
            email=details.get("email", ""),
            position=details.get("position", ""),
        )
    attendance = Attendance.objects.select_for_update().filter(session=session, servant=servant).first()
    existing = CheckIn.objects.filter(session=session, servant=servant).first()
    if attendance is not None and attendance.status == Attendance.Status.PRESENT:
        if existing is None:  # marked present by the grid or an import: a ticket for the survey only
            existing = CheckIn.objects.create(session=session, servant=servant, link=link, checked_in_at=now)
        return CheckInResult(check_in=existing, already=True)
    if attendance is None:
        Attendance.objects.create(session=session, servant=servant, status=Attendance.Status.PRESENT)
    else:  # marked absent or excused before the participant arrived
        attendance.status = Attendance.Status.PRESENT
        attendance.save(update_fields=["status"])
    if existing is None:
        existing = CheckIn.objects.create(session=session, servant=servant, link=link, checked_in_at=now)
    return CheckInResult(check_in=existing, already=False)


class SurveyClosed(Exception):
    """The survey ticket is too old; `message` says so."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def survey_ticket_refusal(*, check_in: CheckIn, now: datetime.datetime) -> SurveyClosed | None:
    if now > check_in.checked_in_at + datetime.timedelta(days=settings.SURVEY_TICKET_DAYS):
        return SurveyClosed(
            _("La encuesta de esta sesión ya no recibe respuestas (se podía responder hasta %(days)s días después).")
            % {"days": settings.SURVEY_TICKET_DAYS}
        )
    return None


@transaction.atomic
def survey_self_submit(
    *,
    check_in: CheckIn,
    ratings: Mapping[str, int],
    comments: str,
    anonymous: bool,
    now: datetime.datetime | None = None,
) -> bool:
    """Store the survey answer of a servant who checked in; False (nothing written) when the
    survey was answered already for this session. An anonymous answer is not linked to the
    servant (its fingerprint holds a random value, its time only the hour), yet counted once:
    the CheckIn is marked answered."""
    now = now or timezone.now()
    check_in = CheckIn.objects.select_for_update().select_related("session__action", "servant").get(pk=check_in.pk)
    if check_in.survey_answered:
        return False
    refusal = survey_ticket_refusal(check_in=check_in, now=now)
    if refusal is not None:
        raise refusal
    action = check_in.session.action
    if anonymous:
        servant, servant_key = None, f"anonymous:{secrets.token_hex(16)}"
        submitted_at = now.replace(minute=0, second=0, microsecond=0)
    else:
        servant = check_in.servant
        servant_key = f"{servant.identity_key}|session:{check_in.session_id}"
        submitted_at = now
    values = {name: int(ratings[name]) for name in SatisfactionResponse.DIMENSIONS}
    response = SatisfactionResponse(
        action=action, servant=servant, comments=comments.strip(), submitted_at=submitted_at, **values
    )
    response.source_key = survey_source_key(
        action_id=action.pk,
        submitted_at=submitted_at,
        servant_key=servant_key,
        ratings=tuple(values.values()),
        comments=response.comments,
    )
    response.full_clean()
    response.save()
    check_in.survey_answered = True
    check_in.save(update_fields=["survey_answered"])
    return True
