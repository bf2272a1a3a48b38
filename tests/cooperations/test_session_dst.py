"""A session's times are typed on the organiser's clock. A time that clock skips (spring forward)
or shows twice (fall back) is refused with a Spanish message: never moved silently, never a
constraint failure inside the service."""

import datetime

import pytest
from django.urls import reverse

from cooperations.models import Session
from tests.cooperations.test_editing import session_post
from tests.factories import CooperationFactory, CountryFactory, InstitutionFactory, SessionFactory, country

pytestmark = pytest.mark.django_db

GAP = "no existen en"
FOLD = "ocurren dos veces en"


@pytest.fixture
def session(world):
    """A session of a cooperation between Paraguay (Asunción) and Chile (Santiago)... and the
    United States, whose clocks change at 02:00 rather than at midnight."""
    cooperation = world.cooperation
    cooperation.requesting_institution = InstitutionFactory(country=country("CL"))
    cooperation.save()
    return SessionFactory(cooperation=cooperation, order=2, time_zone="America/Asuncion")


def save(client, session, **changes):
    url = reverse("cooperations:session_edit", args=[session.cooperation.pk, session.pk])
    return client.post(url, session_post(session, **changes))


def errors(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "field", "kind"),
    [
        # Asunción, 6 October 2024: 00:00 became 01:00.
        ("America/Asuncion", "2024-10-06", "00:30", "", "start_time", GAP),
        # ... a start in the gap and an end after it: was an IntegrityError (end before start in UTC).
        ("America/Asuncion", "2024-10-06", "00:30", "01:15", "start_time", GAP),
        # Santiago, 8 September 2024: 00:00 became 01:00.
        ("America/Santiago", "2024-09-08", "00:15", "02:00", "start_time", GAP),
        # Santiago, 6 April 2024: 24:00 went back to 23:00, so 23:00–23:59 happened twice.
        ("America/Santiago", "2024-04-06", "23:30", "", "start_time", FOLD),
        ("America/Santiago", "2024-04-06", "21:00", "23:15", "end_time", FOLD),
        # Asunción, 23 March 2024: the same.
        ("America/Asuncion", "2024-03-23", "22:00", "23:30", "end_time", FOLD),
    ],
)
def test_a_time_the_organisers_clock_skips_or_repeats_is_refused(
    world, client_for, session, zone, day, start, end, field, kind
):
    before = (session.starts_at, session.ends_at, session.revision)
    response = save(client_for(world.users["oea"]), session, time_zone=zone, date=day, start_time=start, end_time=end)
    assert response.status_code == 200
    [message] = errors(response, field)
    assert kind in message and zone in message and "cambio de horario" in message
    session.refresh_from_db()
    assert (session.starts_at, session.ends_at, session.revision) == before


def test_an_end_in_a_gap_after_a_valid_start_is_refused(world, client_for):
    usa = CountryFactory(iso_code="US", name="Estados Unidos", time_zone="America/New_York")
    cooperation = CooperationFactory(providing_institution=InstitutionFactory(country=usa))
    session = SessionFactory(cooperation=cooperation, order=1)
    # New York, 10 March 2024: 02:00 became 03:00.
    response = save(
        client_for(world.users["oea"]),
        session,
        time_zone="America/New_York",
        date="2024-03-10",
        start_time="01:00",
        end_time="02:30",
    )
    assert response.status_code == 200
    assert GAP in errors(response, "end_time")[0]
    assert errors(response, "start_time") == []


@pytest.mark.parametrize(
    ("zone", "day", "start", "end", "utc_start", "utc_end"),
    [
        # Right after the Asunción gap: 01:00 is the first minute of summer time (UTC−3).
        ("America/Asuncion", "2024-10-06", "01:00", "02:00", (4, 0), (5, 0)),
        # Just before the Santiago fold: still summer time (UTC−3).
        ("America/Santiago", "2024-04-06", "21:00", "22:45", (0, 0), (1, 45)),
    ],
)
def test_times_next_to_a_change_are_kept_exactly(world, client_for, session, zone, day, start, end, utc_start, utc_end):
    response = save(client_for(world.users["oea"]), session, time_zone=zone, date=day, start_time=start, end_time=end)
    assert response.status_code == 302
    session.refresh_from_db()
    start_day = datetime.date.fromisoformat(day) + datetime.timedelta(days=1 if zone == "America/Santiago" else 0)
    assert session.starts_at == datetime.datetime.combine(start_day, datetime.time(*utc_start), tzinfo=datetime.UTC)
    assert session.ends_at == datetime.datetime.combine(start_day, datetime.time(*utc_end), tzinfo=datetime.UTC)
    assert session.date == datetime.date.fromisoformat(day)


def test_a_session_in_the_gap_is_not_saved_at_all(world, client_for, session):
    count = Session.objects.count()
    url = reverse("cooperations:session_create", args=[session.cooperation.pk])
    data = session_post(session, order=9, title="Nueva", time_zone="America/Asuncion", date="2024-10-06")
    data.update(start_time="00:30", end_time="01:15", expected_revision="")
    response = client_for(world.users["oea"]).post(url, data)
    assert response.status_code == 200
    assert GAP in errors(response, "start_time")[0]
    assert Session.objects.count() == count
