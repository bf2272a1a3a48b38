from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from . import registry
from .models import Notification, NotificationPreference


def active_user_get(*, pk: int) -> User:
    """The active user a signed link names, or 404."""
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise Http404
    return user


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def preference_rows(*, user: User) -> list[dict]:
    """Every registered kind with the user's choice (default: on, immediate)."""
    chosen = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for key, kind in registry.kinds().items():
        preference = chosen.get(key)
        rows.append(
            {
                "key": key,
                "label": kind.label,
                "description": kind.description,
                "enabled": preference.enabled if preference else True,
                "digest": preference.digest if preference else False,
            }
        )
    return rows
