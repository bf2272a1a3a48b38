from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from .roles import ROLE_LABELS


def user_role_labels(*, user: User) -> list[str]:
    """The names of the user's roles, as the user reads them."""
    labels = [str(ROLE_LABELS[group.name]) for group in user.groups.all() if group.name in ROLE_LABELS]
    if user.is_superuser:
        labels.insert(0, _("Administrador"))
    return labels
