from django.utils.functional import SimpleLazyObject

from .selectors import unread_count as _unread_count


def unread_count(request):
    """The unread count for the navigation bar's badge: one COUNT query, only when signed in and
    only when a template shows it (lazy: htmx fragments, which have no navigation bar, cost none)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: _unread_count(user=user))}
