"""A real `celery worker` process sending notifications: a task killed mid-send neither loses
nor duplicates the e-mail; a duplicated task sends once; the sweep resends a row left «sending»
exactly once."""

import datetime
import os
import signal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from notifications.models import Notification
from notifications.services import stuck_resend
from notifications.tasks import send_notification
from tests.reports.test_worker_lost import children_of
from tests.workers import celery_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker(smtp_server):
    with celery_worker(queues="celery", name="notify", extra_env={"EMAIL_URL": smtp_server.email_url}) as process:
        yield process


def a_notification(**fields) -> Notification:
    user = User.objects.create_user(username="destinataria", email="destinataria@example.org")
    return Notification.objects.create(
        recipient=user,
        kind="questions-sent",
        key="questions-sent:questions-1-3",
        url="/cooperaciones/1/#pregunta-1",
        context={"cooperation": "Perú – Paraguay", "asked_by": "MTPE", "count": 3, "objective": "O1", "questions": []},
        **fields,
    )


def sent(notification):
    notification.refresh_from_db()
    return notification.email_status == Notification.EmailStatus.SENT


def test_a_duplicated_task_sends_one_email(smtp_server, worker):
    notification = a_notification()
    results = [send_notification.delay(notification.pk), send_notification.delay(notification.pk)]
    outcomes = sorted(result.get(timeout=60) for result in results)
    assert outcomes == [False, True]  # one sent it, the other found it taken
    assert send_notification.delay(notification.pk).get(timeout=60) is False  # once more, after it was sent
    assert sent(notification) and notification.attempts == 1
    assert len(smtp_server.messages) == 1


def test_a_row_left_sending_by_a_dead_worker_is_resent_once_by_the_sweep(smtp_server, worker):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    notification = a_notification(email_status=Notification.EmailStatus.SENDING, sending_since=long_ago, attempts=1)
    assert stuck_resend() == [notification.pk]
    assert stuck_resend() == []  # the second sweep finds it pending (queued), not stuck
    wait_until(lambda: sent(notification), 60, "the e-mail to be resent")
    assert [str(m["To"]) for m in smtp_server.messages] == ["destinataria@example.org"]
    assert stuck_resend() == []


def test_a_worker_killed_mid_send_neither_loses_nor_duplicates_the_email(smtp_server, worker):
    smtp_server.delay_seconds = 8  # the SMTP conversation hangs long enough to kill the sender
    notification = a_notification()
    send_notification.delay(notification.pk)

    def sending():
        notification.refresh_from_db()
        return notification.email_status == Notification.EmailStatus.SENDING

    wait_until(sending, 60, "the worker to start sending")
    child = wait_until(lambda: children_of(worker.pid), 10, "the pool child")[0]
    os.kill(child, signal.SIGKILL)
    smtp_server.delay_seconds = 0

    # The redelivered task finds the row taken («sending»): it does not send a second time.
    assert not sent(notification) and smtp_server.messages == []
    # The sweep, once the row has been «sending» too long, resends it: exactly one e-mail.
    later = timezone.now() + datetime.timedelta(minutes=30)
    assert stuck_resend(now=later) == [notification.pk]
    wait_until(lambda: sent(notification), 60, "the e-mail to be resent")
    wait_until(lambda: smtp_server.messages, 10, "the SMTP server to get it")
    assert len(smtp_server.messages) == 1
    assert stuck_resend(now=later) == []
