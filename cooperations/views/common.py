from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied


def require(user, permission: str, obj=None) -> None:
    """403 unless the user holds the permission (for the object, when given)."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def with_revision(data, revision: int):
    """A copy of submitted form data whose hidden revision is the current one, so that after a
    conflict the user can review the other person's changes and save again on purpose."""
    data = data.copy()
    for key in list(data):
        if key == "expected_revision" or key.endswith("-expected_revision"):
            data[key] = str(revision)
    return data



def area_required(view):
    """Sign-in required (anonymous → sign-in page), then a role that uses cooperations at all
    (else 403). Object views then look the record up among those the user may see (else 404)."""
    return login_required(permission_required("cooperations.access_area", raise_exception=True)(view))
