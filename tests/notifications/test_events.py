"""Event notifications: written with the change, e-mailed on commit through a real SMTP server,
only to those who may open the cooperation."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cooperations.models import AnswerVersion
from cooperations.notifications import answers_collect
from cooperations.services import deliverable_version_upload, question_answer
from notifications.models import Notification
from tests.files import docx
from tests.forms import with_key
from tests.mail import text_of

pytestmark = pytest.mark.django_db

PASTED = "1. ¿Cuál es el perfil del público objetivo?\n2. ¿Cómo se articula con Educación?\n3. ¿Qué indicadores usan?"


def send_questions(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.users["focal_requesting"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cooperations:questions_submit", args=[world.cooperation.pk]),
            with_key(objective=world.objective.pk, text=PASTED),
        )
    assert response.status_code == 302
    return response


def test_questions_sent_notify_the_other_institution_once_per_batch(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    send_questions(world, client_for, django_capture_on_commit_callbacks)

    providing = world.users["focal_providing"]
    assert [m["To"] for m in smtp_server.messages] == [providing.email]  # one message for three questions
    message = smtp_server.messages[0]
    assert "MTPE le envió 3 preguntas" in message["Subject"]
    text = text_of(message)
    assert "¿Cómo se articula con Educación?" in text
    notification = Notification.objects.get(recipient=providing, kind="questions-sent")
    assert notification.email_status == Notification.EmailStatus.SENT
    assert notification.url.startswith(reverse("cooperations:detail", args=[world.cooperation.pk]) + "#pregunta-")
    assert f"http://127.0.0.1:8000{notification.url}" in text
    # Nobody else: not the asking institution, not another cooperation's focal point.
    assert Notification.objects.filter(kind="questions-sent").count() == 1


def test_a_rolled_back_change_notifies_nobody(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    client = client_for(world.users["focal_requesting"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cooperations:questions_submit", args=[world.cooperation.pk]),
            with_key(objective=world.objective.pk, text="Estimados colegas:\n1. ¿Primera?"),
        )
    assert not Notification.objects.filter(kind="questions-sent").exists() and smtp_server.messages == []


def test_answers_of_an_hour_reach_the_asking_institution_in_one_message(
    world, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    providing = world.users["focal_providing"]
    question = question_answer(
        question=world.question,
        expected_revision=world.question.revision,
        text="Respondemos.",
        attachment=None,
        by=providing,
    )
    answered_at = AnswerVersion.objects.filter(question=question).latest("number").answered_at
    with django_capture_on_commit_callbacks(execute=True):
        answers_collect(now=answered_at)  # the hour has not ended: nothing yet
    assert smtp_server.messages == []
    next_hour = answered_at + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        answers_collect(now=next_hour)
        answers_collect(now=next_hour + datetime.timedelta(minutes=30))  # run again: nothing new
    assert [m["To"] for m in smtp_server.messages] == [world.users["focal_requesting"].email]
    assert "1 pregunta respondida" in smtp_server.messages[0]["Subject"]


def test_a_new_deliverable_version_reaches_the_other_institution_and_followers(
    world, make_user, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    follower = make_user("oea")
    world.cooperation.followers.add(follower)
    uploader = world.users["focal_requesting"]  # world.deliverable is MTPE's
    with django_capture_on_commit_callbacks(execute=True):
        version = deliverable_version_upload(deliverable=world.deliverable, file=docx(), note="", by=uploader)
    assert sorted(str(m["To"]) for m in smtp_server.messages) == sorted(
        [world.users["focal_providing"].email, follower.email]
    )
    text = text_of(smtp_server.messages[0])
    assert f"versión {version.number}" in text and world.deliverable.title in text
    assert uploader.get_full_name() in text


def test_nothing_about_a_cooperation_goes_to_a_user_who_cannot_open_it(world, make_user, eager_tasks):
    from notifications.audience import cooperation_audience

    manager, odes = make_user("manager"), make_user("odes")
    world.cooperation.followers.add(manager, odes, world.users["focal_other"])  # not OEA staff: ignored
    audience = cooperation_audience(
        cooperation=world.cooperation,
        institution_ids=[world.chile.pk, world.peru.pk],  # Chile is not a party
        followers=True,
    )
    assert audience == [world.users["focal_requesting"]]


def test_an_smtp_refusal_keeps_the_in_app_notification_and_ends_failed_after_retries(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    smtp_server.refuse = True
    send_questions(world, client_for, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(recipient=world.users["focal_providing"], kind="questions-sent")
    assert notification.email_status == Notification.EmailStatus.FAILED
    assert notification.attempts == 5 and "554" in notification.last_error
    page = client_for(world.users["focal_providing"]).get(reverse("notifications:list"))
    assert "MTPE le envió 3 preguntas" in page.content.decode()


def test_no_email_for_a_kind_turned_off_but_the_row_is_in_the_app(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    from notifications.services import preference_turn_off

    preference_turn_off(user=world.users["focal_providing"], kind="questions-sent")
    send_questions(world, client_for, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []
    assert Notification.objects.get(kind="questions-sent").email_status == Notification.EmailStatus.SKIPPED


def test_the_daily_digest_sends_one_message_with_the_waiting_notifications(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    from notifications.services import digest_send, preferences_save

    providing = world.users["focal_providing"]
    preferences_save(user=providing, choices={"questions-sent": (True, True)})
    send_questions(world, client_for, django_capture_on_commit_callbacks)
    assert smtp_server.messages == []
    assert digest_send(now=timezone.now()) == 1
    assert digest_send(now=timezone.now()) == 0
    assert len(smtp_server.messages) == 1 and "Resumen diario" in smtp_server.messages[0]["Subject"]
    assert "MTPE le envió 3 preguntas" in text_of(smtp_server.messages[0])


def test_access_codes_never_appear_in_an_email(
    world, client_for, smtp_server, eager_tasks, django_capture_on_commit_callbacks
):
    world.session.recording_access_code = "CLAVE-SECRETA-42"
    world.session.save()
    send_questions(world, client_for, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and smtp_server.messages
    assert all("CLAVE-SECRETA-42" not in message.as_string() for message in smtp_server.messages)
