"""iCalendar (.ics) output of sessions and deadlines, and the personal feed's secret token."""

import datetime

from django.contrib.auth import get_user_model
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from core.dates import later_or_none

from .invitations import session_uid, uid_domain
from .models import Session, Step

TOKEN_SALT = "cooperations.calendar.personal-feed"
ONE_HOUR = datetime.timedelta(hours=1)
ONE_DAY = datetime.timedelta(days=1)


def personal_feed_token(user) -> str:
    """Stable while the password does not change; changing it revokes old feed links."""
    digest = salted_hmac(TOKEN_SALT, f"{user.pk}:{user.password}").hexdigest()[:32]
    return f"{user.pk}-{digest}"


def user_for_feed_token(token: str):
    user_id, _sep, _digest = token.partition("-")
    if not user_id.isdigit():
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    if user is None or not constant_time_compare(personal_feed_token(user), token):
        return None
    return user


def build_calendar(*, name: str, sessions: list[Session], steps: list[Step], base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//OEA RIAL · MTPE PFC//Cooperaciones//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = datetime.datetime.now(tz=datetime.UTC)
    for session in sessions:
        event = Event()
        event.add("uid", session_uid(session.pk))  # the invitations' UID and SEQUENCE: one event
        event.add("sequence", session.invitation_sequence)
        event.add("dtstamp", stamp)
        event.add("summary", f"{session.cooperation.short_name} – {session.display_title}")
        # A moment or day at the very end of the calendar (a typo that got in before dates were
        # checked) has no "one hour/day later": the event then has a start only.
        if session.starts_at:
            event.add("dtstart", session.starts_at)
            _add_if_any(event, "dtend", session.ends_at or later_or_none(session.starts_at, ONE_HOUR))
        elif session.date is not None:
            event.add("dtstart", session.date)
            _add_if_any(event, "dtend", later_or_none(session.date, ONE_DAY))
        if session.platform:
            event.add("location", session.platform)
        if session.planned_contents:
            event.add("description", session.planned_contents)
        event.add("url", f"{base_url}{session.cooperation.get_absolute_url()}#sesion-{session.pk}")
        if session.status == Session.Status.CANCELLED:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    for step in steps:
        if step.due_date is None:  # the selector gives only steps with a deadline
            continue
        event = Event()
        event.add("uid", f"step-{step.pk}@{uid_domain()}")
        event.add("dtstamp", stamp)
        names = step.responsible_names
        responsible = f" ({', '.join(names)})" if names else ""
        event.add("summary", _("Plazo%(responsible)s: %(text)s") % {"responsible": responsible, "text": step.text[:90]})
        event.add("dtstart", step.due_date)
        _add_if_any(event, "dtend", later_or_none(step.due_date, ONE_DAY))
        event.add("description", step.text)
        event.add("url", f"{base_url}{step.cooperation.get_absolute_url()}#paso-{step.pk}")
        calendar.add_component(event)
    return calendar.to_ical()


def _add_if_any(event: Event, name: str, value: datetime.date | None) -> None:
    if value is not None:
        event.add(name, value)
