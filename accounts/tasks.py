from celery import shared_task
from django.core import management


@shared_task(name="accounts.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    """Delete sign-in sessions that have expired (Django does not do it by itself)."""
    management.call_command("clearsessions")
