from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_WIDGET, RevisionField, upload_widget

from .models import (
    Indicator,
    IndicatorReview,
    PublicServant,
    Region,
    SatisfactionResponse,
    SurveyAspect,
    TrainingAction,
)

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class TrainingActionForm(forms.ModelForm):
    expected_revision = RevisionField()

    class Meta:
        model = TrainingAction
        fields = [
            "kind",
            "title",
            "theme",
            "organisational_unit",
            "milestone",
            "programmed",
            "modality",
            "hours",
            "planned_start",
            "planned_end",
            "executed_start",
            "executed_end",
            "status",
            "target_regions",
            "facilitator",
        ]
        widgets = {
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "executed_start": DATE_WIDGET,
            "executed_end": DATE_WIDGET,
            "target_regions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_revision"].initial = self.instance.revision if self.instance.pk else None
        # Rescheduling and cancelling have their own forms, which ask for the date or reason.
        self.fields["status"].choices = [
            choice
            for choice in TrainingAction.Status.choices
            if choice[0] in (TrainingAction.Status.PROGRAMMED, TrainingAction.Status.EXECUTED)
            or choice[0] == self.instance.status
        ]
        self.fields["milestone"].queryset = self.fields["milestone"].queryset.select_related("component")
        self.fields["hours"].help_text = _("Un diplomado dura al menos 24 horas.")


class RescheduleForm(forms.Form):
    new_date = forms.DateField(label=_("Nueva fecha"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motivo de la cancelación"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionSessionForm(forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=DATE_WIDGET)
    duration_hours = forms.DecimalField(label=_("Duración (horas)"), min_value=0.5, max_digits=4, decimal_places=1)
    topic = forms.CharField(label=_("Tema de la sesión"), required=False, max_length=255)


class ServantForm(forms.ModelForm):
    class Meta:
        model = PublicServant
        fields = ["full_name", "document_number", "email", "region", "position", "profile"]


def _rating(aspect: SurveyAspect) -> forms.TypedChoiceField:
    """A survey aspect's 1-to-5 rating, as radio buttons."""
    return forms.TypedChoiceField(label=aspect.label, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)


class SurveyResponseForm(forms.Form):
    servant = forms.ModelChoiceField(
        label=_("Servidor/a (vacío: respuesta anónima)"), required=False, queryset=PublicServant.objects.none()
    )
    clarity = _rating(SurveyAspect.CLARITY)
    usefulness = _rating(SurveyAspect.USEFULNESS)
    materials = _rating(SurveyAspect.MATERIALS)
    facilitator = _rating(SurveyAspect.FACILITATOR)
    applicability = _rating(SurveyAspect.APPLICABILITY)
    comments = forms.CharField(label=_("Comentarios"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["servant"].queryset = roster

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SatisfactionResponse.DIMENSIONS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV o XLSX (como lo exporta Google Forms)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class MeasurementForm(forms.Form):
    period = forms.ChoiceField(label=_("Periodo"))
    value = forms.DecimalField(label=_("Valor"), max_digits=10, decimal_places=2)
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidencia"), required=False, widget=upload_widget())

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.code, period.label) for period in periods]


class IndicatorReviewForm(forms.ModelForm):
    class Meta:
        model = IndicatorReview
        fields = ["reason", "explanation", "corrective_action", "corrective_action_due"]
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "corrective_action": forms.Textarea(attrs={"rows": 3}),
            "corrective_action_due": DATE_WIDGET,
        }


class GuidanceForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("Perfil del grupo de servidores"),
        choices=[("", "---------")] + list(PublicServant.Profile.choices),
        required=False,
    )


class RegionFilterForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Región"), queryset=Region.objects.all(), required=False)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "kind",
            "unit",
            "baseline",
            "target",
            "direction",
            "risk_margin",
            "source",
            "scope",
            "survey_dimension",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey_dimension"] = forms.ChoiceField(
            label=_("Aspecto de la encuesta"),
            required=False,
            choices=[("", _("Promedio de los cinco aspectos")), *SurveyAspect.choices],
        )
