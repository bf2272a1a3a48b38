"""Background jobs of core (thin adapters over services)."""

from celery import shared_task
from django.utils import timezone

from .services import submitted_requests_delete_expired


@shared_task(name="core.delete_expired_submitted_requests")
def delete_expired_submitted_requests() -> int:
    """Forget the create forms' request keys older than any retry."""
    return submitted_requests_delete_expired(now=timezone.now())
