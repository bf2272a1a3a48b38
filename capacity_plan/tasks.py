"""Background jobs of the PFC (thin adapters over services)."""

from celery import shared_task
from django.utils import timezone

from .imports import import_previews_delete_expired


@shared_task(name="capacity_plan.delete_expired_import_previews")
def delete_expired_import_previews() -> int:
    """Delete import previews nobody confirmed before they expired, with their files."""
    return import_previews_delete_expired(now=timezone.now())
