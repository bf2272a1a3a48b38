"""Past «disponible hasta» a recording is «vencida», its link and code hidden; within 14 days it
is flagged, on the record page and in the summary PDF (issue 13, item 6)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from cooperations.models import Session
from reports.summary import summary_context, summary_snapshot
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def lima_today() -> datetime.date:
    return timezone.localdate(timezone=Session(time_zone="America/Lima").zone)


def recorded_session(world, until):
    return SessionFactory(
        cooperation=world.cooperation,
        order=5,
        title="Sesión grabada",
        status=Session.Status.HELD,
        recording_url="https://example.org/grabacion",
        recording_access_code="Cl4ve#",
        recording_available_until=until,
    )


def test_an_expired_recording_is_marked_and_its_link_and_code_are_hidden(world, client_for):
    recorded_session(world, lima_today() - datetime.timedelta(days=1))
    page = client_for(world.users["oea"]).get(world.cooperation.get_absolute_url()).content.decode()
    assert 'data-testid="recording-expired"' in page and "vencida" in page
    assert "Cl4ve#" not in page
    assert "https://example.org/grabacion" not in page


def test_a_recording_expiring_within_14_days_is_flagged_and_still_shown(world, client_for):
    recorded_session(world, lima_today() + datetime.timedelta(days=14))
    page = client_for(world.users["oea"]).get(world.cooperation.get_absolute_url()).content.decode()
    assert 'data-testid="recording-expiring"' in page and "vence pronto" in page
    assert "Cl4ve#" in page


def test_a_recording_available_for_longer_is_not_flagged(world, client_for):
    recorded_session(world, lima_today() + datetime.timedelta(days=15))
    page = client_for(world.users["oea"]).get(world.cooperation.get_absolute_url()).content.decode()
    assert "vence pronto" not in page and "vencida" not in page


def test_expiry_is_judged_on_the_organisers_day():
    session = Session(time_zone="America/Lima", recording_available_until=datetime.date(2025, 3, 1))
    assert session.recording_state(today=datetime.date(2025, 3, 1)) == "expiring"
    assert session.recording_state(today=datetime.date(2025, 3, 2)) == "expired"
    assert session.recording_state(today=datetime.date(2025, 2, 14)) == "valid"


def test_the_summary_marks_expired_and_expiring_recordings_as_on_the_day_it_is_generated(world):
    recorded_session(world, datetime.date(2025, 3, 1))
    snapshot = summary_snapshot(world.cooperation)

    def state(day):
        generated = datetime.datetime(*day, 12, tzinfo=datetime.UTC)
        sessions = summary_context(snapshot, generated_at=generated)["sessions"]
        return next(session["recording_state"] for session in sessions if session["title"] == "Sesión grabada")

    assert state((2025, 2, 20)) == "expiring"
    assert state((2025, 3, 5)) == "expired"
    assert state((2025, 1, 5)) == "valid"


def test_the_summary_document_says_vencida_and_vence_pronto(world):
    recorded_session(world, datetime.date(2025, 3, 1))
    snapshot = summary_snapshot(world.cooperation)

    def text(day):
        context = summary_context(snapshot, generated_at=datetime.datetime(*day, 12, tzinfo=datetime.UTC))
        return render_to_string("reports/print/summary.html", context)

    assert "Grabación vencida: estuvo disponible hasta el 1 de marzo de 2025." in text((2025, 3, 5))
    assert "Vence pronto" in text((2025, 2, 20))
