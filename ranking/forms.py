import datetime

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import Form, LookupInlineFormSet, ModelForm, RequestKeyMixin, RevisionField

from .models import Ranking, RankingEntry


class RankingCreateForm(RequestKeyMixin, Form):
    year = forms.IntegerField(label=_("Año"), min_value=2024, max_value=2100, initial=datetime.date.today().year)
    semester = forms.TypedChoiceField(label=_("Semestre"), choices=Ranking.Semester.choices, coerce=int)


class RankingMethodForm(ModelForm):
    expected_revision = RevisionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_revision"].initial = self.instance.revision

    class Meta:
        model = Ranking
        fields = [
            "weight_goals",
            "weight_additional",
            "weight_financial",
            "threshold_high",
            "threshold_medium",
            "missing",
        ]


class EntryForm(ModelForm):
    class Meta:
        model = RankingEntry
        fields = ["goals", "additional", "financial", "note"]
        widgets = {
            "goals": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 100, "class": "form-control-sm"}),
            "additional": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 100, "class": "form-control-sm"}),
            "financial": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 100, "class": "form-control-sm"}),
            "note": forms.TextInput(attrs={"class": "form-control-sm"}),
        }


# One row per region; rows' ids are checked against the rows already loaded (one query).
EntryFormSet = inlineformset_factory(
    Ranking, RankingEntry, form=EntryForm, formset=LookupInlineFormSet, extra=0, can_delete=False
)


class RankingImportForm(Form):
    file = forms.FileField(
        label=_("Archivo XLSX"),
        help_text=_("Una fila por región; columnas como en el archivo de ejemplo."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class RankingPublishForm(RequestKeyMixin, Form):
    pass
