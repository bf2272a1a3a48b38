"""Step deadlines e-mailed through a real SMTP server (aiosmtpd on loopback): the seed 001 steps
(due 7 June, 25 June and 30 August 2024) on the days the issue names."""

import pytest

from cooperations.models import Step
from cooperations.services import step_mark_done
from notifications.models import Notification
from tests.mail import html_of, text_of


def recipients(messages) -> set[str]:
    return {str(message["To"]) for message in messages}


def test_seven_days_before_the_7_june_deadline_its_institutions_and_the_follower_are_emailed(
    people, smtp_server, run_due
):
    run_due("2024-05-31")

    messages = smtp_server.messages
    assert recipients(messages) == {
        "focal-mtpe@demo.invalid",
        "focal-mitradel@demo.invalid",
        "oea-follower@demo.invalid",
    }
    assert len(messages) == 3  # only the 7 June step: 25 June and 30 August are further away
    message = smtp_server.to("focal-mtpe@demo.invalid")[0]
    assert "7 de junio de 2024" in message["Subject"]
    step = Step.objects.get(cooperation=people.cooperation, due_date="2024-06-07")
    text = text_of(message)
    assert f"http://127.0.0.1:8000/cooperaciones/{people.cooperation.pk}/#paso-{step.pk}" in text
    assert "MITRADEL y MTPE" in text
    assert "7 de junio de 2024" in html_of(message)
    assert "".join(str(message["List-Unsubscribe"]).split()).startswith("<http://127.0.0.1:8000/notificaciones/baja/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notificaciones/preferencias/" in text
    assert Notification.objects.filter(email_status=Notification.EmailStatus.SENT).count() == 3


def test_the_day_before_and_the_day_after_then_nothing_new_the_same_day(people, smtp_server, run_due):
    run_due("2024-06-06")
    assert len(smtp_server.to("focal-mtpe@demo.invalid")) == 1
    assert "vence mañana" in smtp_server.to("focal-mtpe@demo.invalid")[0]["Subject"]

    run_due("2024-06-06")  # a second run the same day
    assert len(smtp_server.messages) == 3

    smtp_server.clear()
    run_due("2024-06-08")
    overdue = smtp_server.to("focal-mitradel@demo.invalid")
    assert len(overdue) == 1 and "venció el plazo del 7 de junio de 2024" in overdue[0]["Subject"]
    assert "Vencido hace 1 día." in text_of(overdue[0])
    assert recipients(smtp_server.messages) == {
        "focal-mtpe@demo.invalid",
        "focal-mitradel@demo.invalid",
        "oea-follower@demo.invalid",
    }


def test_still_overdue_weekly_until_marked_done(people, smtp_server, run_due):
    run_due("2024-06-08")
    run_due("2024-06-12")  # mid-week: nothing
    assert len(smtp_server.to("focal-mtpe@demo.invalid")) == 1
    run_due("2024-06-15")
    weekly = smtp_server.to("focal-mtpe@demo.invalid")
    assert len(weekly) == 2 and "sigue vencido" in weekly[1]["Subject"]

    step = Step.objects.get(cooperation=people.cooperation, due_date="2024-06-07")
    step_mark_done(step=step, done=True, by=people.focal_mtpe)
    smtp_server.clear()
    run_due("2024-06-22")
    assert not [m for m in smtp_server.messages if "7 de junio" in m["Subject"]]


def test_a_step_marked_done_before_its_deadline_sends_no_reminder(people, smtp_server, run_due):
    step = Step.objects.get(cooperation=people.cooperation, due_date="2024-06-07")
    step_mark_done(step=step, done=True, by=people.focal_mitradel)
    run_due("2024-05-31")
    run_due("2024-06-06")
    run_due("2024-06-08")
    assert smtp_server.messages == []


@pytest.mark.parametrize("day", ["2024-05-31", "2024-06-06", "2024-06-08", "2024-06-18", "2024-08-29"])
def test_a_focal_point_of_another_institution_and_staff_not_following_never_receive_one(
    people, smtp_server, run_due, day
):
    run_due(day)
    assert smtp_server.messages, "the day has reminders"
    assert "focal-mtps@demo.invalid" not in recipients(smtp_server.messages)
    assert "oea-other@demo.invalid" not in recipients(smtp_server.messages)
    assert not Notification.objects.filter(recipient__in=[people.focal_chile, people.oea_not_following]).exists()


def test_the_25_june_step_is_for_mtpe_only(people, smtp_server, run_due):
    run_due("2024-06-18")
    about_25_june = [m for m in smtp_server.messages if "25 de junio de 2024" in m["Subject"]]
    assert recipients(about_25_june) == {"focal-mtpe@demo.invalid", "oea-follower@demo.invalid"}
    assert len(about_25_june) == 2


def test_an_english_reader_in_their_zone_gets_english(people, smtp_server, run_due):
    from accounts.models import Profile

    Profile.objects.create(user=people.focal_mitradel, language="en")
    run_due("2024-05-31")
    message = smtp_server.to("focal-mitradel@demo.invalid")[0]
    assert "June 7, 2024" in message["Subject"] or "7 June 2024" in message["Subject"], message["Subject"]
