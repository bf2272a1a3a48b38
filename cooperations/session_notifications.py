"""Notifications about sessions: invitations (with their .ics), the reminder the day before, and
the recording that is about to expire. Kinds and collectors are registered here (imported by
NotificationsConfig.ready()); the invitations are sent by `session_invitations_update`, which the
session services call when a session's day or time changes, or when it is cancelled or deleted.

Each goes to those the authorization rules let open the cooperation (notifications.audience):
invitations and reminders to the focal points of both institutions and the OEA staff following
it; the recording notice to the focal points. Access codes never appear in an e-mail."""

import datetime
import zoneinfo
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import user_timezone
from core.formats import date_text
from notifications import audience
from notifications.registry import register_collector, register_kind
from notifications.services import notify

from . import selectors
from .invitations import CANCEL, Invitation, Schedule, build_invitation, invitation_change
from .models import Cooperation, Session
from .models.cooperation import times_in_zone

SESSION_INVITATION = "session-invitation"
SESSION_REMINDER = "session-reminder"
RECORDING_EXPIRING = "recording-expiring"
# Days before a recording link expires that its focal points are told to download it.
RECORDING_NOTICE_DAYS = 7


def _participants(cooperation: Cooperation) -> list[User]:
    """Focal points of both institutions and the OEA staff following the cooperation."""
    return audience.cooperation_audience(
        cooperation=cooperation,
        institution_ids=[cooperation.requesting_institution_id, cooperation.providing_institution_id],
        followers=True,
    )


def _focal_points(cooperation: Cooperation) -> list[User]:
    return audience.cooperation_audience(
        cooperation=cooperation,
        institution_ids=[cooperation.requesting_institution_id, cooperation.providing_institution_id],
    )


def _zones(cooperation: Cooperation) -> list[list[str]]:
    """[[country name, IANA zone], …] of both institutions' countries, requesting first."""
    return [[country.name, country.time_zone] for country in cooperation.countries]


def session_times(*, context: dict[str, Any], user: User) -> list[dict[str, str]]:
    """The session's day and hours in the recipient's own zone first, then in each country's
    zone not already shown: [{"place", "date_text", "time_text"}]. A session with a day and no
    time yet has one line, its day."""
    invitation = Invitation.from_context(context)
    start, end = invitation.start, invitation.end
    if start is None:
        day = invitation.date
        return [{"place": "", "date_text": date_text(day) if day else "", "time_text": ""}]
    own = user_timezone(user)
    own_key = str(getattr(own, "key", own))
    places = [(name, zone) for name, zone in context.get("zones", [])]
    ordered = [place for place in places if place[1] == own_key]
    if not ordered:
        ordered = [(_("Su zona horaria (%(zone)s)") % {"zone": own_key}, own_key)]
    ordered += [place for place in places if place[1] != own_key]
    lines = []
    for name, zone in ordered:
        shown = times_in_zone(start, end, zoneinfo.ZoneInfo(zone))
        lines.append({"place": name, "date_text": shown["date_text"], "time_text": shown["time_text"]})
    return lines


def _session_render_context(notification, user: User) -> dict[str, Any]:
    return {"times": session_times(context=notification.context, user=user)}


def _invitation_attachments(notification) -> list[tuple[str, bytes, str]]:
    invitation = Invitation.from_context(notification.context)
    recipient = notification.recipient
    content = build_invitation(
        invitation, attendee=recipient.email, attendee_name=recipient.get_full_name() or recipient.username
    )
    method = invitation.method
    return [("invitacion.ics", content, f"text/calendar; method={method}; charset=utf-8")]


register_kind(
    SESSION_INVITATION,
    label=gettext_lazy("Invitaciones a sesiones"),
    description=gettext_lazy(
        "Cuando una sesión recibe fecha, cambia de día u hora o se cancela (con el archivo .ics para su calendario)."
    ),
    render_context=_session_render_context,
    attachments=_invitation_attachments,
)
register_kind(
    SESSION_REMINDER,
    label=gettext_lazy("Recordatorio de sesión"),
    description=gettext_lazy("El día antes de cada sesión programada."),
    render_context=_session_render_context,
)
register_kind(
    RECORDING_EXPIRING,
    label=gettext_lazy("Grabación por vencer"),
    description=gettext_lazy("Siete días antes de que deje de estar disponible la grabación de una sesión."),
)


def _session_context(session: Session, invitation: Invitation) -> dict[str, Any]:
    return {
        **invitation.as_context(),
        "cooperation_name": session.cooperation.short_name,
        "session_title": session.display_title,
        "session_date": invitation.day,
        "zones": _zones(session.cooperation),
    }


def _session_url(session_pk: int, cooperation: Cooperation) -> str:
    return f"{cooperation.get_absolute_url()}#sesion-{session_pk}"


def _is_past(session: Session) -> bool:
    day = session.local_date
    return day is not None and day < timezone.localdate(timezone=session.zone)


def session_invitations_update(*, session: Session, before: Schedule | None, deleted: bool = False) -> None:
    """After a session was saved (or, with `deleted`, before it is deleted), inside the same
    transaction: bump its invitation sequence when its day or time changed or it was cancelled or
    reinstated, and invite its participants (REQUEST) or tell them it is cancelled (CANCEL). The
    e-mails leave when the transaction commits (notify); a session already past tells nobody."""
    bump, method = invitation_change(before=before, after=None if deleted else Schedule.of(session))
    if bump:
        session.invitation_sequence += 1
        if not deleted:
            Session.objects.filter(pk=session.pk).update(invitation_sequence=session.invitation_sequence)
    if method is None or _is_past(session):
        return
    invitation = Invitation.of(session, method=method)
    cooperation = session.cooperation
    event = "cancel" if method == CANCEL else "request"
    notify(
        kind=SESSION_INVITATION,
        key=f"session-invitation:session-{session.pk}:{event}-{session.invitation_sequence}",
        recipients=_participants(cooperation),
        target=None if deleted else session,
        url=_session_url(session.pk, cooperation) if not deleted else f"{cooperation.get_absolute_url()}#sesiones",
        context=_session_context(session, invitation)
        | {
            "cancelled": method == CANCEL,
            "rescheduled": method != CANCEL and before is not None and before.invited,
            "deleted": deleted,
        },
    )


@register_collector
def session_reminders_collect(*, today: datetime.date) -> None:
    """The day before a programmed session (its day in the organiser's zone), its participants
    are reminded; once per session and day (a rescheduled session is reminded again)."""
    tomorrow = today + datetime.timedelta(days=1)
    for session in selectors.sessions_on(day=tomorrow):
        invitation = Invitation.of(session, method="REQUEST")
        notify(
            kind=SESSION_REMINDER,
            key=f"session-reminder:session-{session.pk}:{tomorrow.isoformat()}",
            recipients=_participants(session.cooperation),
            target=session,
            url=_session_url(session.pk, session.cooperation),
            context=_session_context(session, invitation),
        )


@register_collector
def recordings_expiring_collect(*, today: datetime.date) -> None:
    """RECORDING_NOTICE_DAYS before a session's recording stops being available, the focal
    points of both institutions are told to download it; once per session and expiry date."""
    for session in selectors.recordings_expiring(today=today, days=RECORDING_NOTICE_DAYS):
        until = session.recording_available_until
        assert until is not None  # the selector gives only recordings with an expiry date
        notify(
            kind=RECORDING_EXPIRING,
            key=f"recording-expiring:session-{session.pk}:{until.isoformat()}",
            recipients=_focal_points(session.cooperation),
            target=session,
            url=_session_url(session.pk, session.cooperation),
            context={
                "session": session.pk,
                "cooperation": session.cooperation_id,
                "cooperation_name": session.cooperation.short_name,
                "session_title": session.display_title,
                "session_date": session.local_date.isoformat() if session.local_date else "",
                "available_until_date": until.isoformat(),
            },
        )
