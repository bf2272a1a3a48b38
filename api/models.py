"""A personal API token's name. The token itself is knox's AuthToken (only its hash is stored);
this row gives it the name its owner chose, so the token page can list and revoke it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class PersonalToken(models.Model):
    token = models.OneToOneField(
        AuthToken, primary_key=True, on_delete=models.CASCADE, related_name="personal", verbose_name=_("token")
    )
    name = models.CharField(_("nombre"), max_length=80, help_text=_("Para reconocerlo, p. ej. «Power BI – ODES»."))

    class Meta:
        verbose_name = _("token personal")
        verbose_name_plural = _("tokens personales")

    def __str__(self):
        return self.name
