"""The .ics of a session invitation: what a calendar application reads from it."""

import datetime
import zoneinfo
from typing import Any

import pytest
from icalendar import Calendar

from cooperations.invitations import (
    CANCEL,
    REQUEST,
    Invitation,
    Schedule,
    build_invitation,
    invitation_change,
)
from cooperations.models import Session

ASUNCION = zoneinfo.ZoneInfo("America/Asuncion")
LIMA = zoneinfo.ZoneInfo("America/Lima")


def parsed(content: bytes):
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def invitation(**fields: Any) -> Invitation:
    values: dict[str, Any] = {
        "session": 7,
        "cooperation": 2,
        "method": REQUEST,
        "sequence": 0,
        "summary": "Perú – Paraguay – Primera sesión",
        "time_zone": "America/Asuncion",
        "url": "http://127.0.0.1:8000/cooperaciones/2/#sesion-7",
    } | fields
    return Invitation(**values)


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        # Paraguay's summer time (UTC−3) ended on 24 March 2024: 10:00 in Asunción is 13:00 UTC
        # on the 21st and 14:00 UTC on the 28th (UTC−4)…
        (datetime.date(2024, 3, 21), 13),
        (datetime.date(2024, 3, 28), 14),
        # …and since October 2024 Paraguay keeps UTC−3 all year (tzdata 2024b): a June session
        # no longer moves to UTC−4.
        (datetime.date(2025, 6, 12), 13),
    ],
)
def test_an_asuncion_session_is_at_the_right_utc_instant_across_the_dst_change(settings, day, utc_hour):
    settings.SITE_URL = "https://rial.example.org"
    starts_at = datetime.datetime.combine(day, datetime.time(10), tzinfo=ASUNCION)
    content = build_invitation(
        invitation(starts_at=starts_at.isoformat(), ends_at=(starts_at + datetime.timedelta(hours=2)).isoformat()),
        attendee="focal@example.org",
    )
    calendar, event = parsed(content)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == "session-7@rial.example.org"
    start = event.decoded("dtstart")
    assert start == datetime.datetime.combine(day, datetime.time(utc_hour), tzinfo=datetime.UTC)
    assert start.utcoffset() == datetime.timedelta(0)
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)
    # Lima has no summer time: the same instant is 08:00 or 09:00 there.
    assert start.astimezone(LIMA).hour == utc_hour - 5
    assert str(event["attendee"]) == "mailto:focal@example.org"


def test_a_session_with_a_day_and_no_time_is_an_all_day_event():
    _calendar, event = parsed(build_invitation(invitation(day="2024-08-20")))
    assert event.decoded("dtstart") == datetime.date(2024, 8, 20)
    assert event.decoded("dtend") == datetime.date(2024, 8, 21)


def test_a_cancellation_keeps_the_uid_with_a_higher_sequence():
    starts_at = datetime.datetime(2024, 5, 24, 9, tzinfo=LIMA).isoformat()
    _c, first = parsed(build_invitation(invitation(starts_at=starts_at, sequence=2)))
    calendar, cancelled = parsed(build_invitation(invitation(starts_at=starts_at, sequence=3, method=CANCEL)))
    assert str(calendar["method"]) == "CANCEL"
    assert str(cancelled["status"]) == "CANCELLED"
    assert cancelled["uid"] == first["uid"]
    assert cancelled.decoded("sequence") == 3 > first.decoded("sequence")


def test_the_invitation_survives_its_context_round_trip():
    original = invitation(starts_at=datetime.datetime(2024, 5, 24, 9, tzinfo=LIMA).isoformat(), location="Zoom")
    assert Invitation.from_context(original.as_context() | {"other": "ignored"}) == original


def schedule(**fields: Any) -> Schedule:
    values: dict[str, Any] = {
        "date": datetime.date(2024, 5, 24),
        "starts_at": datetime.datetime(2024, 5, 24, 9, tzinfo=LIMA),
        "ends_at": None,
        "status": Session.Status.PLANNED,
    } | fields
    return Schedule(**values)


def test_which_message_each_change_calls_for():
    planned = schedule()
    moved = schedule(starts_at=datetime.datetime(2024, 5, 24, 10, tzinfo=LIMA))
    undecided = schedule(date=None, starts_at=None)
    cancelled = schedule(status=Session.Status.CANCELLED)
    held = schedule(status=Session.Status.HELD)
    assert invitation_change(before=None, after=planned) == (False, REQUEST)
    assert invitation_change(before=None, after=undecided) == (False, None)
    assert invitation_change(before=planned, after=planned) == (False, None)
    assert invitation_change(before=planned, after=moved) == (True, REQUEST)
    assert invitation_change(before=undecided, after=planned) == (True, REQUEST)
    assert invitation_change(before=planned, after=cancelled) == (True, CANCEL)
    assert invitation_change(before=cancelled, after=planned) == (True, REQUEST)
    assert invitation_change(before=planned, after=undecided) == (True, CANCEL)
    assert invitation_change(before=planned, after=None) == (True, CANCEL)
    assert invitation_change(before=cancelled, after=None) == (True, None)
    assert invitation_change(before=planned, after=held) == (False, None)
