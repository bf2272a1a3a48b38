"""Permission checks shared by every app's views."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied


def permission_view(permission: str):
    """Sign-in required (anonymous → sign-in page), then the permission (403 without it)."""
    return lambda view: login_required(permission_required(permission, raise_exception=True)(view))


def require(user, permission: str, obj=None) -> None:
    """403 unless the user holds the permission (for the object, when given)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied
