"""Personal API tokens: created with a name and an expiry, revoked by their owner."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from .models import PersonalToken
from .permissions import MANAGE_OWN_TOKENS


@dataclass(frozen=True)
class CreatedToken:
    personal: PersonalToken
    secret: str  # shown once: only its hash is stored


@transaction.atomic
def token_create(*, user: User, name: str, days: int) -> CreatedToken:
    """A new token for `user`, valid for `days` days (1 to API_TOKEN_MAX_DAYS)."""
    if not user.has_perm(MANAGE_OWN_TOKENS):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Indique un nombre para reconocer el token.")})
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("La vigencia va de 1 a %(days)s días.") % {"days": settings.API_TOKEN_MAX_DAYS}}
        )
    token, secret = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=days))
    personal = PersonalToken(token=token, name=name)
    personal.full_clean()
    personal.save()
    return CreatedToken(personal=personal, secret=secret)


@transaction.atomic
def token_revoke(*, user: User, digest: str) -> bool:
    """Delete one of the user's own tokens; False when it is not theirs (or already gone)."""
    deleted, _counts = AuthToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)
