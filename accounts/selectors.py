import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from .roles import ROLE_LABELS

if TYPE_CHECKING:
    from .models import Profile


def user_role_labels(*, user: User) -> list[str]:
    """The names of the user's roles, as the user reads them."""
    labels = [str(ROLE_LABELS[group.name]) for group in user.groups.all() if group.name in ROLE_LABELS]
    if user.is_superuser:
        labels.insert(0, _("Administrador"))
    return labels


def user_profile(*, user: User) -> "Profile":
    """The user's Profile, or an unsaved empty one (defaults) when they never saved theirs."""
    from .models import Profile

    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)


def user_language(user: User) -> str:
    """The language the user reads their e-mails in: the one chosen in the profile, else Spanish."""
    language = user_profile(user=user).language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def user_timezone(user: User) -> zoneinfo.ZoneInfo:
    """The zone dates are shown in to the user: the profile's, else the country of a focal point's
    institution, else the application's zone (TIME_ZONE)."""
    chosen = user_profile(user=user).time_zone
    if chosen:
        return zoneinfo.ZoneInfo(chosen)
    from cooperations.models import FocalPoint

    link = FocalPoint.objects.select_related("institution__country").filter(user=user).first()
    if link is not None and link.institution.country is not None:
        return link.institution.country.zone
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
