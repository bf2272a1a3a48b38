from celery import shared_task
from django.core import management

from . import services

# Backoff between attempts at an e-mail the SMTP server did not take: 1, 2, 4, 8 minutes.
RETRY_BASE_SECONDS = 60


@shared_task(bind=True, name="notifications.send", max_retries=services.MAX_ATTEMPTS)
def send_notification(self, notification_id: int) -> bool:
    """Send one notification's e-mail (nothing when another task already took it)."""
    try:
        return services.notification_send(notification_id=notification_id)
    except services.TemporarySendError as error:
        raise self.retry(countdown=RETRY_BASE_SECONDS * 2**self.request.retries, exc=error) from error


@shared_task(name="notifications.send_due")
def send_due_notifications() -> None:
    """The daily job: every app's collectors (deadlines, reminders…) for today."""
    management.call_command("send_due_notifications")


@shared_task(name="notifications.collect_answers")
def collect_answers() -> None:
    """Hourly: one notification per cooperation for the answers of the past hour."""
    from cooperations.notifications import answers_collect

    answers_collect()


@shared_task(name="notifications.resend_stuck")
def resend_stuck() -> list[int]:
    return services.stuck_resend()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    return services.digest_send()
