"""Dates far outside any plausible range: refused wherever users type or import them, and
harmless on pages and feeds when one got in some other way (an old row, a shell, a fixture)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar

from cooperations.calendar import personal_feed_token
from cooperations.models import Session, Step
from reports.summary import summary_context, summary_snapshot
from tests.cooperations.test_editing import session_post

pytestmark = pytest.mark.django_db


def events(response):
    return {str(event["uid"]): event for event in Calendar.from_ical(response.content).walk("VEVENT")}


# --- pages and feeds render whatever is stored ----------------------------------------------------


def year_one_in_asuncion(session):
    """What the tester typed: 01/01/0001 with the Asunción zone (UTC−4 then), stored as it came."""
    Session.objects.filter(pk=session.pk).update(
        time_zone="America/Asuncion",
        date=datetime.date(1, 1, 1),
        starts_at=datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(1, 1, 1, 2, tzinfo=datetime.UTC),
    )
    # ...and its history row, as the history page reads it.
    session.refresh_from_db()
    session.save()


def test_a_session_of_year_one_does_not_break_the_cooperation_page(world, client_for):
    year_one_in_asuncion(world.session)
    for role in ("oea", "focal_requesting", "focal_providing"):
        response = client_for(world.users[role]).get(world.cooperation.get_absolute_url())
        assert response.status_code == 200, role


def test_a_session_of_year_one_does_not_break_the_summary(world, client_for):
    year_one_in_asuncion(world.session)
    assert (
        client_for(world.users["oea"]).get(reverse("reports:summaries", args=[world.cooperation.pk])).status_code == 200
    )
    snapshot = summary_snapshot(world.cooperation)
    html = render_to_string("reports/print/summary.html", summary_context(snapshot))
    assert world.session.display_title in html


def test_a_session_of_year_one_can_be_opened_to_correct_it_and_its_history_shows(world, client_for):
    year_one_in_asuncion(world.session)
    client = client_for(world.users["oea"])
    edit = client.get(reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk]))
    assert edit.status_code == 200
    assert client.get(reverse("cooperations:history", args=[world.cooperation.pk])).status_code == 200
    feed = client.get(reverse("cooperations:calendar", args=[world.cooperation.pk]))
    assert f"session-{world.session.pk}@127.0.0.1" in events(feed)


def test_a_step_due_in_year_9999_does_not_break_the_calendars(world, client_for, client):
    Step.objects.filter(pk=world.step.pk).update(due_date=datetime.date(9999, 12, 31))
    response = client_for(world.users["oea"]).get(reverse("cooperations:calendar", args=[world.cooperation.pk]))
    assert response.status_code == 200
    assert f"step-{world.step.pk}@127.0.0.1" in events(response)
    token = personal_feed_token(world.users["focal_requesting"])
    personal = client.get(reverse("cooperations:personal_calendar", args=[token]))
    assert personal.status_code == 200
    assert f"session-{world.session.pk}@127.0.0.1" in events(personal)


def test_a_step_due_in_year_9999_does_not_break_the_pages(world, client_for):
    Step.objects.filter(pk=world.step.pk).update(due_date=datetime.date(9999, 12, 31))
    client = client_for(world.users["oea"])
    assert client.get(world.cooperation.get_absolute_url()).status_code == 200
    assert client.get(reverse("cooperations:deadlines")).status_code == 200
    assert client.get(reverse("reports:summaries", args=[world.cooperation.pk])).status_code == 200


def test_a_session_at_the_end_of_year_9999_does_not_break_the_pages_or_feeds(world, client_for, client):
    Session.objects.filter(pk=world.session.pk).update(
        date=datetime.date(9999, 12, 31),
        starts_at=datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC),
        ends_at=None,
    )
    staff = client_for(world.users["oea"])
    assert staff.get(world.cooperation.get_absolute_url()).status_code == 200
    assert staff.get(reverse("reports:summaries", args=[world.cooperation.pk])).status_code == 200
    assert staff.get(reverse("cooperations:calendar", args=[world.cooperation.pk])).status_code == 200
    token = personal_feed_token(world.users["focal_requesting"])
    assert client.get(reverse("cooperations:personal_calendar", args=[token])).status_code == 200


def test_a_session_at_9999_12_31_23_30_is_refused_on_save_not_a_500(world, client_for):
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    response = client_for(world.users["oea"]).post(
        url, session_post(world.session, date="9999-12-31", start_time="23:30", end_time="23:45")
    )
    assert response.status_code == 200
    assert "La fecha debe estar entre" in response.content.decode()
    world.session.refresh_from_db()
    assert world.session.starts_at.year == 2022
