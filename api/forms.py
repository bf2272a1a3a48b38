from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    (30, _("30 días")),
    (90, _("90 días")),
    (180, _("180 días")),
    (365, _("1 año")),
]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=80, help_text=_("Para reconocerlo, p. ej. «Power BI – ODES»."))
    days = forms.TypedChoiceField(label=_("Vigencia"), choices=EXPIRY_CHOICES, coerce=int, initial=90)
