import datetime

import pytest
from django.core import management
from django.urls import reverse

from cooperations.models import Session
from tests.factories import CooperationFactory, InstitutionFactory, SessionFactory, aware, country

pytestmark = pytest.mark.django_db


def session_times(session):
    return {time["country"].name: time["time_text"] for time in session.times_in(session.cooperation.countries)}


@pytest.mark.parametrize(
    ("start", "expected_asuncion"),
    [
        (aware(2023, 2, 28, 9), "11:00–12:00"),  # Paraguay on summer time
        (aware(2022, 5, 17, 9), "10:00–11:00"),
    ],
)
def test_lima_times_are_shown_in_asuncion_from_the_iana_rules(start, expected_asuncion):
    session = SessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    times = session_times(session)
    assert times["Perú"] == f"{start:%H:%M}–{start + datetime.timedelta(hours=1):%H:%M}"
    assert times["Paraguay"] == expected_asuncion


def test_mexico_city_time_is_shown_in_guayaquil():
    cooperation = CooperationFactory(
        requesting_institution=InstitutionFactory(country=country("EC")),
        providing_institution=InstitutionFactory(country=country("MX")),
    )
    start = aware(2023, 6, 8, 11, zone="America/Mexico_City")
    session = SessionFactory(
        cooperation=cooperation,
        time_zone="America/Mexico_City",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    assert session_times(session) == {"Ecuador": "12:00–15:00", "México": "11:00–14:00"}


def test_the_detail_page_shows_each_seed_session_in_both_countries(client_for):
    management.call_command("load_seed_data", verbosity=0)
    body = client_for("oea").get(reverse("cooperations:detail", args=[1])).content.decode()
    assert "Martes, 28 de febrero de 2023" in body
    assert '09:00–11:00 (Perú)</span> / <span class="session-time">11:00–13:00 (Paraguay)' in body
    assert "Martes, 17 de mayo de 2022" in body
    assert '09:00–12:00 (Perú)</span> / <span class="session-time">10:00–13:00 (Paraguay)' in body
    ecuador = client_for("oea").get(reverse("cooperations:detail", args=[4])).content.decode()
    assert "Jueves, 8 de junio de 2023" in ecuador
    assert '12:00–15:00 (Ecuador)</span> / <span class="session-time">11:00–14:00 (México)' in ecuador


def test_an_undecided_session_shows_its_label_and_no_time(client_for):
    session = SessionFactory(
        starts_at=None, ends_at=None, date=None, date_label="Segunda quincena de agosto (por definir)"
    )
    body = client_for("oea").get(reverse("cooperations:detail", args=[session.cooperation.pk])).content.decode()
    assert "Por definir" in body
    assert "Segunda quincena de agosto (por definir)" in body


def test_a_session_needs_a_date_or_an_undecided_label():
    session = Session(cooperation=CooperationFactory(), order=1, time_zone="America/Lima")
    with pytest.raises(Exception) as error:
        session.full_clean()
    assert "date_label" in error.value.message_dict
