"""Session invitations: the iCalendar (iTIP, RFC 5546) message e-mailed when a session gets a date,
changes or is cancelled, and what decides which one a change calls for.

An invitation is built from an `Invitation`, a snapshot of the session taken when it changed (kept
in the notification's context as strings), so the message sent later, or resent after a failure,
says what the change said even if the session changed again or was deleted meanwhile. Its UID is
the one of the record's calendar feed (cooperations.calendar), and its SEQUENCE is the session's
`invitation_sequence`, bumped on every change of day or time and on a cancellation, so a calendar
application updates the event it already holds instead of adding a second one.
"""

import datetime
import email.utils
import urllib.parse
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from core.dates import later_or_none

from .models import Session

REQUEST = "REQUEST"
CANCEL = "CANCEL"
PRODID = "-//OEA RIAL · MTPE PFC//Cooperaciones//ES"
ONE_HOUR = datetime.timedelta(hours=1)
ONE_DAY = datetime.timedelta(days=1)


def uid_domain() -> str:
    """The host of SITE_URL: UIDs are unique to this site (RFC 5545 §3.8.4.7)."""
    return urllib.parse.urlsplit(settings.SITE_URL).hostname or "localhost"


def session_uid(session_pk: int) -> str:
    """The session's event UID, the same in the calendar feeds and in every invitation."""
    return f"session-{session_pk}@{uid_domain()}"


@dataclass(frozen=True)
class Invitation:
    """What an invitation says, as JSON-friendly strings (ISO dates and moments)."""

    session: int
    cooperation: int
    method: str  # REQUEST or CANCEL
    sequence: int
    summary: str
    starts_at: str = ""  # aware ISO moment, when the session has a time
    ends_at: str = ""
    day: str = ""  # ISO day (in the organiser's zone) when the session has no time yet
    time_zone: str = "America/Lima"
    location: str = ""
    description: str = ""
    url: str = ""

    @classmethod
    def of(cls, session: Session, *, method: str) -> "Invitation":
        cooperation = session.cooperation
        return cls(
            session=session.pk,
            cooperation=cooperation.pk,
            method=method,
            sequence=session.invitation_sequence,
            summary=f"{cooperation.short_name} – {session.display_title}",
            starts_at=session.starts_at.isoformat() if session.starts_at else "",
            ends_at=session.ends_at.isoformat() if session.ends_at else "",
            day=session.local_date.isoformat() if session.local_date else "",
            time_zone=session.time_zone,
            location=session.platform,
            description=session.planned_contents,
            url=f"{settings.SITE_URL}{cooperation.get_absolute_url()}#sesion-{session.pk}",
        )

    @classmethod
    def from_context(cls, context: dict[str, Any]) -> "Invitation":
        fields = cls.__dataclass_fields__
        return cls(**{name: value for name, value in context.items() if name in fields})

    def as_context(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def start(self) -> datetime.datetime | None:
        return datetime.datetime.fromisoformat(self.starts_at) if self.starts_at else None

    @property
    def end(self) -> datetime.datetime | None:
        return datetime.datetime.fromisoformat(self.ends_at) if self.ends_at else None

    @property
    def date(self) -> datetime.date | None:
        return datetime.date.fromisoformat(self.day) if self.day else None


def organizer_address() -> tuple[str, str]:
    """(name, address) of DEFAULT_FROM_EMAIL: the invitation's organiser."""
    name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "RIAL", address or "no-reply@localhost"


def build_invitation(invitation: Invitation, *, attendee: str = "", attendee_name: str = "") -> bytes:
    """The .ics of one invitation (METHOD:REQUEST or CANCEL), with the recipient as attendee.

    Moments are written in UTC (…Z): every calendar application places them on the right
    instant whatever zone rules it knows; a session with a day and no time is an all-day event."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", invitation.method)
    event = Event()
    event.add("uid", session_uid(invitation.session))
    event.add("sequence", invitation.sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("summary", invitation.summary)
    start, end, day = invitation.start, invitation.end, invitation.date
    if start is not None:
        event.add("dtstart", start.astimezone(datetime.UTC))
        finish = end or later_or_none(start, ONE_HOUR)
        if finish is not None:
            event.add("dtend", finish.astimezone(datetime.UTC))
    elif day is not None:
        event.add("dtstart", day)
        following = later_or_none(day, ONE_DAY)
        if following is not None:
            event.add("dtend", following)
    if invitation.location:
        event.add("location", invitation.location)
    if invitation.description:
        event.add("description", invitation.description)
    if invitation.url:
        event.add("url", invitation.url)
    name, address = organizer_address()
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name)
    event.add("organizer", organizer)
    if attendee:
        guest = vCalAddress(f"mailto:{attendee}")
        if attendee_name:
            guest.params["cn"] = vText(attendee_name)
        guest.params["role"] = vText("REQ-PARTICIPANT")
        guest.params["partstat"] = vText("NEEDS-ACTION")
        guest.params["rsvp"] = vText("FALSE")
        event.add("attendee", guest)
    if invitation.method == CANCEL:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


# --- Which message a change calls for ---------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """The parts of a session an invitation depends on, before or after a change."""

    date: datetime.date | None
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    status: str

    @classmethod
    def of(cls, session: Session) -> "Schedule":
        return cls(date=session.date, starts_at=session.starts_at, ends_at=session.ends_at, status=session.status)

    @property
    def dated(self) -> bool:
        return self.date is not None or self.starts_at is not None

    @property
    def invited(self) -> bool:
        """Whether participants hold (or should hold) an invitation to it."""
        return self.dated and self.status == Session.Status.PLANNED

    def moment_key(self) -> tuple:
        return (self.date, self.starts_at, self.ends_at)


def invitation_change(*, before: Schedule | None, after: Schedule | None) -> tuple[bool, str | None]:
    """(bump the sequence?, the method to send or None) for a session going from `before` (None:
    new) to `after` (None: deleted). A change of day or time, a cancellation and a reinstatement
    bump the sequence; the participants get a REQUEST when the session is (still) programmed
    with a date, a CANCEL when one they were invited to is cancelled or deleted."""
    if before is None:
        return False, (REQUEST if after is not None and after.invited else None)
    if after is None:
        return True, (CANCEL if before.invited else None)
    moved = before.moment_key() != after.moment_key()
    status_changed = (before.status == Session.Status.CANCELLED) != (after.status == Session.Status.CANCELLED)
    if not (moved or status_changed):
        return False, None
    if after.invited:
        return True, REQUEST
    if before.invited and after.status == Session.Status.CANCELLED:
        return True, CANCEL
    if before.invited and not after.dated:
        return True, CANCEL  # its date was taken away: «por definir» again
    return True, None
