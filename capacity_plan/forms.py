from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import DATE_WIDGET, Form, ModelForm, RequestKeyMixin, RevisionField, upload_widget
from core.validators import dni_text, plausible_date

from . import selectors
from .models import (
    Attendance,
    Indicator,
    IndicatorReview,
    PublicServant,
    Region,
    SatisfactionResponse,
    SurveyAspect,
    TrainingAction,
)
from .models.plan import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH, text_length_validator, value_range_error
from .periods import Bimester

RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class TrainingActionForm(RequestKeyMixin, ModelForm):
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
            "minimum_attendance_percent",
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
        # Form.fields maps names to plain Fields; these are the choice fields the model's
        # fields make.
        status = cast(forms.TypedChoiceField, self.fields["status"])
        milestone = cast(forms.ModelChoiceField, self.fields["milestone"])
        # Rescheduling and cancelling have their own forms, which ask for the date or reason.
        status.choices = [
            choice
            for choice in TrainingAction.Status.choices
            if choice[0] in (TrainingAction.Status.PROGRAMMED, TrainingAction.Status.EXECUTED)
            or choice[0] == self.instance.status
        ]
        assert milestone.queryset is not None  # a model form's foreign key field has its queryset
        milestone.queryset = milestone.queryset.select_related("component")
        self.fields["hours"].help_text = _("Un diplomado dura al menos 24 horas.")
        # Left empty: the action keeps its minimum (80 % for a new one).
        self.fields["minimum_attendance_percent"].required = False
        if self.instance.pk:
            self.fields["planned_start"].help_text = _(
                "Corrige la fecha programada. Para moverla con su motivo y guardar la original, use «Reprogramar»."
            )

    def clean_minimum_attendance_percent(self) -> int:
        value = self.cleaned_data.get("minimum_attendance_percent")
        return self.instance.minimum_attendance_percent if value is None else value

    def action_fields(self) -> dict[str, Any]:
        """The validated values of the action's own fields (not its regions nor the revision)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("target_regions", "expected_revision", "request_key")
        }


class RescheduleForm(Form):
    new_date = forms.DateField(
        label=_("Nueva fecha de inicio"),
        widget=DATE_WIDGET,
        validators=[plausible_date],
        help_text=_("El fin se mueve los mismos días. La fecha original queda registrada."),
    )
    reason = forms.CharField(label=_("Motivo de la reprogramación"), widget=forms.Textarea(attrs={"rows": 3}))

    # The action's fields the service's errors name, and the field of this form that says them.
    model_error_fields = {"planned_start": "new_date", "status_reason": "reason"}


class CancelForm(Form):
    reason = forms.CharField(label=_("Motivo de la cancelación"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionSessionForm(RequestKeyMixin, forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=DATE_WIDGET, validators=[plausible_date])
    duration_hours = forms.DecimalField(label=_("Duración (horas)"), min_value=0.5, max_digits=4, decimal_places=1)
    topic = forms.CharField(label=_("Tema de la sesión"), required=False, max_length=255)


class ServantForm(ModelForm):
    """A participant added from the attendance grid. When the DNI (or e-mail) is already
    registered under another name, the form asks whether to keep the stored name or replace it
    with the one typed, instead of renaming the servant silently; `rename` says the answer."""

    KEEP, RENAME = "keep", "rename"
    name_choice = forms.ChoiceField(
        label=_("Nombre registrado"),
        required=False,
        choices=[("", ""), (KEEP, _("Mantener el nombre registrado")), (RENAME, _("Usar el nombre escrito"))],
        widget=forms.HiddenInput,
    )

    class Meta:
        model = PublicServant
        fields = ["full_name", "document_number", "email", "region", "position", "profile"]
        help_texts = {"document_number": _("8 dígitos.")}

    def clean_document_number(self) -> str:
        return dni_text(self.cleaned_data["document_number"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = " ".join(str(data.get("full_name") or "").split())
        region = data.get("region")
        if not name or region is None or self.has_error("document_number") or self.has_error("email"):
            return data
        stored = selectors.servant_known_name(
            document_number=data.get("document_number") or "",
            email=data.get("email") or "",
            full_name=name,
            region_id=region.pk,
        )
        if stored is not None and stored != name:
            choice = cast(forms.ChoiceField, self.fields["name_choice"])
            choice.choices = [
                (self.KEEP, _("Mantener «%(name)s»") % {"name": stored}),
                (self.RENAME, _("Reemplazarlo por «%(name)s»") % {"name": name}),
            ]
            choice.widget = forms.RadioSelect(choices=choice.choices)
            choice.label = _("Nombre registrado")
            if not data.get("name_choice"):
                self.add_error(
                    "name_choice",
                    _(
                        "Esta persona ya está registrada como «%(stored)s», no como «%(typed)s». "
                        "Elija si mantener el nombre registrado o reemplazarlo por el escrito."
                    )
                    % {"stored": stored, "typed": name},
                )
        return data

    @property
    def servant_details(self) -> dict[str, Any]:
        """The arguments of services.servant_upsert (after is_valid)."""
        details = {name: value for name, value in self.cleaned_data.items() if name != "name_choice"}
        return {**details, "rename": self.cleaned_data.get("name_choice") == self.RENAME}


MAX_ID = 2**63 - 1  # the largest primary key (BigAutoField)


class AttendanceGridForm(forms.Form):
    """The marks of one session's attendance grid. Each row posts `servant-<id>` (the chosen
    mark, absent when no choice is ticked) and `original-<id>` (the mark the grid showed).
    Gives `marks` (servant id → mark, "" to remove it) and `originals` (None without any)."""

    STATUSES = frozenset({*Attendance.Status.values, ""})

    def clean(self) -> dict[str, Any]:
        marks: dict[int, str] = {}
        originals: dict[int, str] = {}
        bad_marks: set[str] = set()
        unknown: list[str] = []
        for key in self.data:
            prefix, _sep, number = key.partition("-")
            if prefix not in ("servant", "original"):
                continue  # the CSRF token, the submit button
            if not (number.isascii() and number.isdigit() and len(number) <= 19 and 0 < int(number) <= MAX_ID):
                unknown.append(number)
                continue
            value = self.data[key]
            if value not in self.STATUSES:
                bad_marks.add(value)
            (marks if prefix == "servant" else originals)[int(number)] = value
        for servant_id in originals:
            marks.setdefault(servant_id, "")  # a row left without any choice
        if bad_marks:
            raise ValidationError(
                _("Marca de asistencia desconocida: %(marks)s.") % {"marks": ", ".join(sorted(bad_marks))}
            )
        known = selectors.servant_ids_existing(pks=marks) if marks else set()
        unknown += [str(servant_id) for servant_id in sorted(marks) if servant_id not in known]
        if unknown:
            raise ValidationError(
                _(
                    "No se guardó: la grilla incluye servidores que ya no existen (%(ids)s). Recárguela y vuelva a marcar."
                )
                % {"ids": ", ".join(unknown)}
            )
        return {"marks": marks, "originals": originals or None}


def _rating(aspect: SurveyAspect) -> forms.TypedChoiceField:
    """A survey aspect's 1-to-5 rating, as radio buttons."""
    return forms.TypedChoiceField(label=aspect.label, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect)


class SurveyResponseForm(RequestKeyMixin, forms.Form):
    servant = forms.ModelChoiceField(
        label=_("Servidor/a (vacío: respuesta anónima)"), required=False, queryset=PublicServant.objects.none()
    )
    clarity = _rating(SurveyAspect.CLARITY)
    usefulness = _rating(SurveyAspect.USEFULNESS)
    materials = _rating(SurveyAspect.MATERIALS)
    facilitator = _rating(SurveyAspect.FACILITATOR)
    applicability = _rating(SurveyAspect.APPLICABILITY)
    comments = forms.CharField(
        label=_("Comentarios"),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[text_length_validator(LONG_TEXT_MAX_LENGTH)],
    )

    def __init__(self, *args: Any, roster: QuerySet[PublicServant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["servant"]).queryset = roster

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in SatisfactionResponse.DIMENSIONS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV o XLSX (como lo exporta Google Forms)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class MeasurementForm(Form):
    period = forms.ChoiceField(label=_("Periodo"))
    value = forms.DecimalField(label=_("Valor"), max_digits=10, decimal_places=2)
    note = forms.CharField(
        label=_("Nota"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[text_length_validator(NOTE_MAX_LENGTH)],
    )
    evidence = forms.FileField(label=_("Evidencia"), required=False, widget=upload_widget())

    def __init__(self, *args: Any, periods: Iterable[Bimester], indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        cast(forms.ChoiceField, self.fields["period"]).choices = [(period.code, period.label) for period in periods]

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        error = value_range_error(self.indicator.kind, value)
        if error:
            raise ValidationError(error)
        return value


class IndicatorReviewForm(ModelForm):
    class Meta:
        model = IndicatorReview
        fields = ["reason", "explanation", "corrective_action", "corrective_action_due"]
        widgets = {
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "corrective_action": forms.Textarea(attrs={"rows": 3}),
            "corrective_action_due": DATE_WIDGET,
        }

    def __init__(self, *args: Any, indicator: Indicator, period: Bimester, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The period it justifies, so that the model's rules (a deadline not before the period)
        # are checked here, with the typed values kept.
        self.instance.indicator = indicator
        self.instance.year, self.instance.bimester = period.year, period.number


class GuidanceForm(forms.Form):
    profile = forms.ChoiceField(
        label=_("Perfil del grupo de servidores"),
        choices=[("", "---------")] + list(PublicServant.Profile.choices),
        required=False,
    )


class RegionFilterForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Región"), queryset=Region.objects.all(), required=False)


class SurveyAspectsField(forms.MultipleChoiceField):
    """The survey aspects a satisfaction indicator averages, as check boxes; none ticked (or all
    five) is the average of the five. Stored as the list of their values (Indicator.survey_aspects)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        for name in ("encoder", "decoder", "max_length", "required", "choices"):  # a JSONField's form field kwargs
            kwargs.pop(name, None)
        kwargs.setdefault("label", _("Aspectos de la encuesta que promedia"))
        kwargs.setdefault("help_text", _("Solo para indicadores de satisfacción. Sin marcar: los cinco aspectos."))
        super().__init__(choices=SurveyAspect.choices, required=False, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        return value or []


class IndicatorForm(ModelForm):
    """The indicator's target and how it is computed (saved with services.indicator_update)."""

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
            "survey_aspects",
        ]
        field_classes = {"survey_aspects": SurveyAspectsField}
