import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from capacity_plan.periods import Bimester
from core.forms import ModelForm, RequestKeyMixin, RevisionField

from .models import MonitoringNarrative, SummarySection


class SummaryPublishForm(RequestKeyMixin):
    label = forms.CharField(
        label=_("Etiqueta de la versión"),
        max_length=120,
        required=False,
        help_text=_("Aparece en la línea de versión, p. ej. «abierta a comentarios»."),
    )
    is_final = forms.BooleanField(label=_("Versión final (cierra la serie)"), required=False)
    open_for_comments = forms.BooleanField(
        label=_("Abierta a comentarios de los ministerios"),
        required=False,
        help_text=_(
            "Los puntos focales de las dos instituciones comentan cada sección desde la página de la versión, "
            "hasta que se publique la siguiente."
        ),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("is_final") and cleaned.get("open_for_comments"):
            self.add_error("open_for_comments", _("Una versión final no se abre a comentarios."))
        return cleaned


class SummaryCommentForm(RequestKeyMixin):
    section = forms.ChoiceField(label=_("Sección"), choices=SummarySection.choices)
    text = forms.CharField(
        label=_("Comentario"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Hasta 4000 caracteres. Indique el párrafo o el dato que debe cambiar y cómo."),
        error_messages={"required": _("Escriba el comentario.")},
    )


class CommentResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolución"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qué se hizo, en pocas palabras (hasta 500 caracteres)."),
        error_messages={"required": _("Escriba brevemente cómo se resolvió el comentario.")},
    )


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


class NarrativeForm(ModelForm):
    """The narrative of a period, as ODES edits it (revision-checked: core.merge merges a page
    opened before someone else saved)."""

    expected_revision = RevisionField()

    class Meta:
        model = MonitoringNarrative
        fields = ["executive_summary", "analysis", "recommendations", "signer_name", "signer_role"]
        widgets = {
            "executive_summary": forms.Textarea(attrs={"rows": 6}),
            "analysis": forms.Textarea(attrs={"rows": 8}),
            "recommendations": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_revision"].initial = self.instance.revision if self.instance.pk else None

    def narrative_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}


class NarrativePageForm(NarrativeForm):
    """The narrative form of the page, with the request key of «Guardar y generar el informe»
    (the narrative itself is guarded by its revision)."""

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
