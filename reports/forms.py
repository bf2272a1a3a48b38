from django import forms
from django.utils.translation import gettext_lazy as _

from capacity_plan.periods import Bimester
from core.forms import RequestKeyMixin


class SummaryPublishForm(RequestKeyMixin):
    label = forms.CharField(
        label=_("Etiqueta de la versión"),
        max_length=120,
        required=False,
        help_text=_("Aparece en la línea de versión, p. ej. «abierta a comentarios»."),
    )
    is_final = forms.BooleanField(label=_("Versión final (cierra la serie)"), required=False)


class MonitoringRequestForm(RequestKeyMixin):
    period = forms.ChoiceField(label=_("Periodo bimestral"))

    def __init__(self, *args, year: int, initial_period: Bimester | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)  # declared above
        period.choices = [(period.code, period.label) for period in Bimester.of_year(year)]
        if initial_period:
            period.initial = initial_period.code

    def clean_period(self) -> Bimester:
        return Bimester.parse(self.cleaned_data["period"])
