# Accounts use Django's User and Group models: roles are groups (see roles.py) and the link of a
# focal point to its institution lives beside Institution, in cooperations.models.FocalPoint.
# Profile keeps what a user chooses for themselves: the language and time zone of their e-mails.
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("«%(value)s» no es una zona horaria IANA (p. ej. America/Lima)."), params={"value": value}
        )


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(
        _("idioma de los correos"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Vacío: español."),
    )
    time_zone = models.CharField(
        _("zona horaria"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Vacío: la de su país (puntos focales) o la de la aplicación."),
    )

    class Meta:
        verbose_name = _("perfil")
        verbose_name_plural = _("perfiles")

    def __str__(self):
        return str(self.user)
