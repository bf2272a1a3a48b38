import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Profile

# The zones of the countries the application works with first, then every other IANA zone.
_AMERICAS = sorted(zone for zone in zoneinfo.available_timezones() if zone.startswith("America/"))


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("zona horaria"),
        required=False,
        choices=[("", _("La de mi país (o la de la aplicación)"))] + [(zone, zone) for zone in _AMERICAS],
        help_text=_("Las fechas y horas de los correos se muestran en esta zona."),
    )

    class Meta:
        model = Profile
        fields = ["language", "time_zone"]
