import datetime

import pytest
from django.core import management
from django.urls import reverse
from icalendar import Calendar

from cooperations.calendar import personal_feed_token

pytestmark = pytest.mark.django_db


def events(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_cooperation_feed_parses_and_holds_sessions_and_deadlines(client_for):
    management.call_command("load_seed_data", verbosity=0)
    response = client_for("oea").get(reverse("cooperations:calendar", args=[2]))
    assert response["Content-Type"].startswith("text/calendar")
    found = events(response)
    first_session = found["session-202@127.0.0.1"]
    assert first_session.decoded("dtstart") == datetime.datetime(2024, 5, 24, 14, 0, tzinfo=datetime.UTC)
    assert first_session.decoded("dtend") == datetime.datetime(2024, 5, 24, 17, 0, tzinfo=datetime.UTC)
    coordination = found["session-201@127.0.0.1"]
    assert coordination.decoded("dtstart") == datetime.date(2024, 4, 29)
    deadlines = sorted(event.decoded("dtstart") for uid, event in found.items() if uid.startswith("step-"))
    assert deadlines == [datetime.date(2024, 6, 7), datetime.date(2024, 6, 25), datetime.date(2024, 8, 30)]
    assert b"Af9U" not in response.content


def test_undecided_sessions_are_left_out_of_the_feed(client_for):
    management.call_command("load_seed_data", verbosity=0)
    found = events(client_for("oea").get(reverse("cooperations:calendar", args=[3])))
    assert sorted(uid for uid in found if uid.startswith("session-")) == [
        "session-301@127.0.0.1",
        "session-302@127.0.0.1",
    ]


def test_the_personal_feed_holds_only_the_users_cooperations(world, client):
    token = personal_feed_token(world.users["focal_other"])
    response = client.get(reverse("cooperations:personal_calendar", args=[token]))
    assert events(response) == {}
    token = personal_feed_token(world.users["focal_requesting"])
    found = events(client.get(reverse("cooperations:personal_calendar", args=[token])))
    assert set(found) == {f"session-{world.session.pk}@127.0.0.1", f"step-{world.step.pk}@127.0.0.1"}


def test_changing_the_password_revokes_the_personal_feed(world, client):
    user = world.users["focal_requesting"]
    url = reverse("cooperations:personal_calendar", args=[personal_feed_token(user)])
    user.set_password("otra-clave-muy-segura-99")
    user.save()
    assert client.get(url).status_code == 404
