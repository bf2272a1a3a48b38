"""Session invitations (.ics by e-mail), the reminder the day before, and the recording notice."""

import datetime
import io
import zoneinfo

import pytest
from django.core import management
from django.urls import reverse
from icalendar import Calendar

from accounts.roles import OEA_STAFF
from cooperations.models import Session
from cooperations.services import session_delete, session_save
from notifications.models import Notification
from notifications.services import notification_send
from tests.cooperations.conftest import world  # noqa: F401
from tests.factories import SessionFactory, user_with_role
from tests.mail import smtp_server, text_of  # noqa: F401

pytestmark = pytest.mark.django_db
ASUNCION = zoneinfo.ZoneInfo("America/Asuncion")


@pytest.fixture
def people(world):  # noqa: F811
    """The participants' audience: a focal point of each party and an OEA follower; and those
    who must hear nothing: the other cooperation's focal point, OEA staff not following it."""
    follower = world.users["oea"]
    world.cooperation.followers.add(follower)
    world.not_following = user_with_role(OEA_STAFF)
    return world


def invited(people):
    return {people.users[name].pk for name in ("focal_requesting", "focal_providing", "oea")}


def save(session, by, **changes):
    for name, value in changes.items():
        setattr(session, name, value)
    return session_save(session=session, expected_revision=session.revision, by=by)


def send_all(kind):
    for pk in Notification.objects.filter(kind=kind, email_status="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk)


def ics_of(message):
    (part,) = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def new_session(people, starts_at, **fields):
    session = Session(
        cooperation=people.cooperation,
        order=5,
        time_zone="America/Asuncion",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        platform="Zoom",
        **fields,
    )
    return session_save(session=session, expected_revision=None, by=people.users["oea"])


def test_a_new_session_invites_the_participants_with_an_ics_in_both_zones(people, smtp_server):  # noqa: F811
    starts_at = datetime.datetime(2027, 3, 18, 10, tzinfo=ASUNCION)
    session = new_session(people, starts_at)
    rows = Notification.objects.filter(kind="session-invitation")
    assert {row.recipient_id for row in rows} == invited(people)

    send_all("session-invitation")
    messages = {str(message["To"]): message for message in smtp_server.messages}
    assert set(messages) == {people.users[name].email for name in ("focal_requesting", "focal_providing", "oea")}
    paraguayan = messages[people.users["focal_providing"].email]
    calendar, event = ics_of(paraguayan)
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"session-{session.pk}@127.0.0.1"
    assert event.decoded("sequence") == 0
    assert event.decoded("dtstart") == datetime.datetime(2027, 3, 18, 13, tzinfo=datetime.UTC)
    assert str(event["attendee"]) == f"mailto:{people.users['focal_providing'].email}"
    assert "Invitación" in str(paraguayan["Subject"])
    # The recipient's own zone first: Asunción 10:00 for the Paraguayan, Lima 08:00 for the Peruvian.
    text = text_of(paraguayan)
    assert text.index("Paraguay: ") < text.index("Perú: ")
    assert "10:00–12:00" in text and "08:00–10:00" in text
    peruvian = text_of(messages[people.users["focal_requesting"].email])
    assert peruvian.index("Perú: ") < peruvian.index("Paraguay: ")
    assert "Af9U" not in text  # access codes never travel by e-mail


def test_moving_a_session_bumps_the_sequence_and_cancelling_it_sends_a_cancel(people, smtp_server):  # noqa: F811
    session = new_session(people, datetime.datetime(2027, 3, 18, 10, tzinfo=ASUNCION))
    oea = people.users["oea"]
    session = save(session, oea, platform="Teams")  # not its day or time: nobody is told
    assert Notification.objects.filter(kind="session-invitation").count() == 3

    moved = datetime.datetime(2027, 3, 25, 9, tzinfo=ASUNCION)
    session = save(session, oea, starts_at=moved, ends_at=moved + datetime.timedelta(hours=2))
    session = save(session, oea, status=Session.Status.CANCELLED)
    assert Session.objects.get(pk=session.pk).invitation_sequence == 2

    send_all("session-invitation")
    mine = smtp_server.to(people.users["focal_providing"].email)
    assert len(mine) == 3
    events = [ics_of(message) for message in mine]
    by_sequence = {event.decoded("sequence"): (str(calendar["method"]), event) for calendar, event in events}
    assert sorted(by_sequence) == [0, 1, 2]
    assert by_sequence[1][0] == "REQUEST"
    assert by_sequence[1][1].decoded("dtstart") == datetime.datetime(2027, 3, 25, 12, tzinfo=datetime.UTC)
    assert by_sequence[2][0] == "CANCEL"
    assert {str(event["uid"]) for _method, event in by_sequence.values()} == {f"session-{session.pk}@127.0.0.1"}
    subjects = {
        event.decoded("sequence"): str(message["Subject"]).strip()
        for message, (_c, event) in zip(mine, events, strict=True)
    }
    assert subjects[0].startswith("Invitación:"), subjects
    assert subjects[1].startswith("Cambio de fecha:"), subjects
    assert subjects[2].startswith("Cancelada:"), subjects


def test_deleting_a_programmed_session_cancels_its_invitation(people, smtp_server):  # noqa: F811
    session = new_session(people, datetime.datetime(2027, 3, 18, 10, tzinfo=ASUNCION))
    session_delete(session=session, by=people.users["admin"])
    cancels = Notification.objects.filter(kind="session-invitation", context__method="CANCEL")
    assert {row.recipient_id for row in cancels} == invited(people)
    send_all("session-invitation")
    methods = {
        str(calendar["method"]): event.decoded("sequence")
        for calendar, event in map(ics_of, smtp_server.to(people.users["focal_requesting"].email))
    }
    assert methods == {"REQUEST": 0, "CANCEL": 1}


def test_changes_to_a_past_session_or_an_undated_one_tell_nobody(people):
    past = people.session  # 17 May 2022
    save(past, people.users["oea"], starts_at=past.starts_at + datetime.timedelta(hours=1))
    undecided = Session(cooperation=people.cooperation, order=9, date_label="Segunda quincena de agosto")
    session_save(session=undecided, expected_revision=None, by=people.users["oea"])
    assert not Notification.objects.filter(kind="session-invitation").exists()


def test_the_reminder_goes_the_day_before_once(people, smtp_server):  # noqa: F811
    session = SessionFactory(
        cooperation=people.cooperation,
        time_zone="America/Asuncion",
        starts_at=datetime.datetime(2027, 5, 4, 10, tzinfo=ASUNCION),
    )
    management.call_command("send_due_notifications", today="2027-05-02", stdout=io.StringIO())
    assert not Notification.objects.filter(kind="session-reminder").exists()
    management.call_command("send_due_notifications", today="2027-05-03", stdout=io.StringIO())
    management.call_command("send_due_notifications", today="2027-05-03", stdout=io.StringIO())
    reminders = Notification.objects.filter(kind="session-reminder")
    assert sorted(row.recipient_id for row in reminders) == sorted(invited(people))
    assert {row.target_id for row in reminders} == {session.pk}
    send_all("session-reminder")
    (message,) = smtp_server.to(people.users["focal_requesting"].email)
    assert str(message["Subject"]).startswith("Mañana:")
    assert "Perú: " in text_of(message) and "Paraguay: " in text_of(message)


def test_focal_points_are_told_seven_days_before_a_recording_expires(people, smtp_server):  # noqa: F811
    session = people.session
    Session.objects.filter(pk=session.pk).update(
        recording_url="https://zoom.us/rec/share/abc", recording_available_until=datetime.date(2024, 8, 7)
    )
    management.call_command("send_due_notifications", today="2024-07-30", stdout=io.StringIO())
    assert not Notification.objects.filter(kind="recording-expiring").exists()
    management.call_command("send_due_notifications", today="2024-07-31", stdout=io.StringIO())
    management.call_command("send_due_notifications", today="2024-08-01", stdout=io.StringIO())
    notices = Notification.objects.filter(kind="recording-expiring")
    focal = {people.users["focal_requesting"].pk, people.users["focal_providing"].pk}
    assert {row.recipient_id for row in notices} == focal and notices.count() == 2
    send_all("recording-expiring")
    (message,) = smtp_server.to(people.users["focal_providing"].email)
    text = text_of(message)
    assert "Descargue la grabación antes del 7 de agosto de 2024" in text
    assert "Af9U" not in text and "zoom.us" not in text


def test_editing_a_session_on_its_page_invites_once_per_change(people, client_for):
    from tests.cooperations.test_editing import session_post

    session = SessionFactory(
        cooperation=people.cooperation,
        starts_at=datetime.datetime(2027, 6, 1, 9, tzinfo=zoneinfo.ZoneInfo("America/Lima")),
    )
    client = client_for(people.users["oea"])
    url = reverse("cooperations:session_edit", args=[people.cooperation.pk, session.pk])
    response = client.post(url, session_post(session, date="2027-06-02", start_time="09:00", end_time="11:00"))
    assert response.status_code == 302
    rows = Notification.objects.filter(kind="session-invitation")
    assert {row.recipient_id for row in rows} == invited(people)
    assert {row.context["sequence"] for row in rows} == {1}
    session.refresh_from_db()
    again = client.post(url, session_post(session, date="2027-06-02", start_time="09:00", end_time="11:00"))
    assert again.status_code == 302
    assert rows.count() == 3  # the same day and time: nothing new
