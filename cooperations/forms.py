import datetime
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from core.dates import AmbiguousLocalTime, NonexistentLocalTime, local_moment, localtime_or_utc
from core.formats import date_text, time_text
from core.forms import (
    DATE_WIDGET,
    TIME_WIDGET,
    UPLOAD_HELP_TEXT,
    Form,
    LookupInlineFormSet,
    LookupModelChoiceField,
    LookupModelMultipleChoiceField,
    ModelForm,
    RequestKeyMixin,
    RevisionField,
    share_choices,
    upload_widget,
)
from core.validators import DOCUMENT_TEXT, is_plausible

from .models import (
    Call,
    Cooperation,
    Country,
    Deliverable,
    Institution,
    MethodologyStep,
    Participation,
    Person,
    Question,
    Session,
    SpecificObjective,
    Step,
)


class CooperationForm(RequestKeyMixin, ModelForm):
    expected_revision = RevisionField()

    class Meta:
        model = Cooperation
        fields = [
            "title",
            "short_name",
            "topic",
            "call",
            "requesting_institution",
            "providing_institution",
            "modality",
            "status",
            "website",
            "connection_url",
            "description",
            "general_objective",
            "product_description",
            "version_label",
            "version_date",
        ]
        widgets = {
            "version_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 5}),
            "general_objective": forms.Textarea(attrs={"rows": 3}),
            "product_description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {
            "requesting_institution": LookupModelChoiceField,
            "providing_institution": LookupModelChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_revision"].initial = self.instance.revision if self.instance.pk else None
        # Only ministries can be the parties (the model refuses any other institution, e.g. one a
        # record already names: it stays in the list so the form says why).
        current = [self.instance.requesting_institution_id, self.instance.providing_institution_id]
        share_choices(
            [self.fields["requesting_institution"], self.fields["providing_institution"]],
            Institution.objects.filter(Q(kind=Institution.Kind.MINISTRY) | Q(pk__in=[pk for pk in current if pk]))
            .select_related("country")
            .order_by("country__name", "name"),
        )


class CallForm(ModelForm):
    """A new RIAL call, created from the cooperation form (prefix "call")."""

    number = forms.IntegerField(
        label=_("Número"),
        min_value=1,
        max_value=999,
        error_messages={"unique": _("Ya existe una convocatoria con ese número: elíjala en la lista.")},
    )
    year = forms.IntegerField(label=_("Año"), min_value=1990, max_value=2100)

    class Meta:
        model = Call
        fields = ["number", "year"]


class RevisionForm(Form):
    """Pages that edit a cooperation's parts carry the cooperation's revision in it."""

    expected_revision = RevisionField()


class BaseObjectiveFormSet(LookupInlineFormSet):
    """The specific objectives of a cooperation. An objective that has questions cannot be
    deleted (they are filed under it): the formset names them instead, and nothing is saved."""

    def clean(self) -> None:
        super().clean()
        deleted = [form.instance for form in self.deleted_forms if form.instance.pk is not None]
        if not deleted:
            return
        questions: dict[int, list[Question]] = {}
        for question in Question.objects.filter(objective__in=deleted).order_by("number", "pk"):
            questions.setdefault(question.objective_id, []).append(question)
        errors = [
            ValidationError(
                _(
                    "No se puede eliminar el objetivo «%(objective)s» porque tiene preguntas: %(questions)s. "
                    "Páselas a otro objetivo o elimínelas antes."
                ),
                code="protected",
                params={
                    "objective": str(objective),
                    "questions": " · ".join(str(question) for question in questions[objective.pk]),
                },
            )
            for objective in deleted
            if objective.pk in questions
        ]
        if errors:
            raise ValidationError(errors)


ObjectiveFormSet = inlineformset_factory(
    Cooperation,
    SpecificObjective,
    form=ModelForm,
    formset=BaseObjectiveFormSet,
    fields=["order", "text", "short_label"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
)
MethodologyFormSet = inlineformset_factory(
    Cooperation,
    MethodologyStep,
    form=ModelForm,
    formset=LookupInlineFormSet,
    fields=["order", "title", "text"],
    extra=1,
    can_delete=True,
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
)


class ParticipationForm(ModelForm):
    full_name = forms.CharField(label=_("Nombre"), max_length=200)

    class Meta:
        model = Participation
        fields = ["order", "full_name", "position", "institution", "delegation", "note"]
        field_classes = {"institution": LookupModelChoiceField, "delegation": LookupModelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["full_name"].initial = self.instance.person.full_name
            if self.instance.delegation_id == self.instance.institution.country_id:
                # The delegation follows the institution: changing the institution moves her.
                self.initial["delegation"] = None
        delegation = self.fields["delegation"]
        assert isinstance(delegation, forms.ModelChoiceField)  # Meta.field_classes
        delegation.empty_label = _("Según la institución")
        delegation.help_text = _(
            "Vacío: la del país de la institución (ministerio o su Misión Permanente ante la OEA), o la OEA."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        institution = cleaned.get("institution")
        if institution is not None and cleaned.get("delegation") is None and "delegation" not in self.errors:
            # Left at its default: the institution's country, or the OEA for an institution without one.
            cleaned["delegation"] = institution.country
        return cleaned

    def save(self, commit=True):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not self.instance.person_id or self.instance.person.full_name != name:
            self.instance.person = Person.objects.filter(full_name=name).first() or Person.objects.create(
                full_name=name
            )
        return super().save(commit=commit)


class BaseParticipationFormSet(LookupInlineFormSet):
    """Each row names its person (loaded with the rows) and picks an institution and a delegation."""

    def __init__(self, *args: Any, queryset: QuerySet[Participation] | None = None, **kwargs: Any) -> None:
        if queryset is None:
            queryset = Participation.objects.select_related("person", "institution")
        kwargs["queryset"] = queryset
        super().__init__(*args, **kwargs)

    def choice_querysets(self):
        return {"institution": Institution.objects.select_related("country"), "delegation": Country.objects.all()}


ParticipationFormSet = inlineformset_factory(
    Cooperation,
    Participation,
    form=ParticipationForm,
    formset=BaseParticipationFormSet,
    extra=3,
    can_delete=True,
)


class StepForm(ModelForm):
    class Meta:
        model = Step
        fields = ["order", "after_session", "text", "responsible_institutions", "due_date", "done"]
        widgets = {
            "due_date": DATE_WIDGET,
            "text": forms.Textarea(attrs={"rows": 2}),
            "responsible_institutions": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "after_session": LookupModelChoiceField,
            "responsible_institutions": LookupModelMultipleChoiceField,
        }

    def _save_m2m(self) -> None:
        """The formset writes every row's responsible institutions at once (save_responsible)."""


class BaseStepFormSet(LookupInlineFormSet):
    """Each row picks a session of the cooperation and its responsible institutions (either party,
    both, and/or the OEA)."""

    def __init__(self, *args: Any, queryset: QuerySet[Step] | None = None, **kwargs: Any) -> None:
        if queryset is None:
            queryset = Step.objects.prefetch_related("responsible_institutions")
        kwargs["queryset"] = queryset
        super().__init__(*args, **kwargs)

    def choice_querysets(self):
        cooperation = self.instance
        return {
            "after_session": Session.objects.filter(cooperation=cooperation),
            "responsible_institutions": Institution.objects.filter(
                Q(pk__in=[cooperation.requesting_institution_id, cooperation.providing_institution_id])
                | Q(kind=Institution.Kind.OAS)
            ),
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["after_session"].empty_label = _("Antes de la primera sesión")

    def save(self, commit: bool = True) -> list[Step]:
        saved = super().save(commit=commit)
        if commit:
            self.save_responsible()
        return saved

    def save_responsible(self) -> None:
        """The responsible institutions of the rows that changed them, in two queries for the
        whole table (one .set() per row would query row by row)."""
        through = Step.responsible_institutions.through
        new = {id(step) for step in self.new_objects}
        edited = {id(step) for step, fields in self.changed_objects if "responsible_institutions" in fields}
        changed = [form for form in self.forms if id(form.instance) in new | edited]
        if not changed:
            return
        through.objects.filter(step__in=[form.instance.pk for form in changed]).delete()
        through.objects.bulk_create(
            [
                through(step_id=form.instance.pk, institution_id=institution.pk)
                for form in changed
                for institution in form.cleaned_data["responsible_institutions"]
            ]
        )


StepFormSet = inlineformset_factory(Cooperation, Step, form=StepForm, formset=BaseStepFormSet, extra=2, can_delete=True)


class SessionForm(RequestKeyMixin, ModelForm):
    """Date and times are typed as the organiser reads them, in the zone chosen here."""

    model_error_fields = {"starts_at": "start_time", "ends_at": "end_time"}
    expected_revision = RevisionField()
    start_time = forms.TimeField(label=_("Hora de inicio"), required=False, widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Hora de fin"), required=False, widget=TIME_WIDGET)

    class Meta:
        model = Session
        fields = [
            "order",
            "kind",
            "title",
            "status",
            "time_zone",
            "date",
            "start_time",
            "end_time",
            "date_label",
            "platform",
            "planned_contents",
            "summary",
            "recording_url",
            "recording_access_code",
            "recording_available_until",
        ]
        widgets = {
            "date": DATE_WIDGET,
            "recording_available_until": DATE_WIDGET,
            "planned_contents": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperation = cooperation
        zones: list[tuple[str, str]] = []
        for country in cooperation.countries:
            if country.time_zone not in [zone for zone, _label in zones]:
                zones.append((country.time_zone, f"{country.name} ({country.time_zone})"))
        if self.instance.time_zone and self.instance.time_zone not in [zone for zone, _label in zones]:
            zones.append((self.instance.time_zone, self.instance.time_zone))
        self.fields["time_zone"] = forms.ChoiceField(label=_("Zona horaria de las horas indicadas"), choices=zones)
        self.fields["expected_revision"].initial = self.instance.revision if self.instance.pk else None
        zone = zoneinfo.ZoneInfo(self.instance.time_zone)
        if self.instance.starts_at:
            starts_at = localtime_or_utc(self.instance.starts_at, zone)
            self.fields["start_time"].initial = starts_at.time()
            self.initial["date"] = starts_at.date()
        if self.instance.ends_at:
            self.fields["end_time"].initial = localtime_or_utc(self.instance.ends_at, zone).time()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean() returns
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        zone_name = cleaned.get("time_zone")
        if (start or end) and not day:
            self.add_error("date", _("Indique la fecha de la sesión para poder indicar la hora."))
        if end and not start:
            self.add_error("start_time", _("Indique la hora de inicio si indica la de fin."))
        if day and not is_plausible(day):
            # Refused by the model field's validator; far from the window the zone's offset
            # could not even be applied.
            day = None
        self.instance.starts_at = self.instance.ends_at = None
        if day and start and zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            starts_at = self._moment("start_time", day, start, zone)
            ends_at = self._moment("end_time", day, end, zone) if end and starts_at else None
            # An end before the start is refused by Session.clean(), under «Hora de fin».
            self.instance.starts_at, self.instance.ends_at = starts_at, ends_at
        if day:
            cleaned["date_label"] = ""
        return cleaned

    def _moment(
        self, field: str, day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo
    ) -> datetime.datetime | None:
        """The moment the organiser's clock shows `time` that day, or None (with the field's
        error) for a time that daylight saving skips or repeats there: never moved silently."""
        params = {"time": time_text(time), "day": date_text(day), "zone": zone.key}
        try:
            moment = local_moment(day, time, zone)
        except NonexistentLocalTime:
            self.add_error(
                field,
                _(
                    "Las %(time)s del %(day)s no existen en %(zone)s: ese día el reloj se adelanta por el "
                    "cambio de horario. Indique otra hora."
                )
                % params,
            )
            return None
        except AmbiguousLocalTime:
            self.add_error(
                field,
                _(
                    "Las %(time)s del %(day)s ocurren dos veces en %(zone)s: ese día el reloj se atrasa por "
                    "el cambio de horario. Indique otra hora o escríbala en la zona horaria de otro país."
                )
                % params,
            )
            return None
        return moment


# A pasted list holds several questions, each of at most MEDIUM_TEXT characters.
QUESTION_LIST_TEXT = 2 * DOCUMENT_TEXT


class QuestionSubmitForm(RequestKeyMixin, Form):
    objective = forms.ModelChoiceField(label=_("Objetivo específico"), queryset=SpecificObjective.objects.none())
    text = forms.CharField(
        label=_("Pregunta o lista numerada de preguntas"),
        max_length=QUESTION_LIST_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Pegue la lista tal como la tiene: «1. …», «2. …». Las líneas con viñeta (·, -, •) bajo una "
            "pregunta son sus subpreguntas. Cada número se convierte en una pregunta."
        ),
    )

    def __init__(self, *args, cooperation: Cooperation, **kwargs):
        super().__init__(*args, **kwargs)
        objective = self.fields["objective"]
        assert isinstance(objective, forms.ModelChoiceField)  # declared above
        objective.queryset = SpecificObjective.objects.filter(cooperation=cooperation)


class QuestionAnswerForm(Form):
    expected_revision = RevisionField()
    written_answer = forms.CharField(
        label=_("Respuesta escrita"),
        required=False,
        max_length=DOCUMENT_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachment = forms.FileField(
        label=_("Documento adjunto"),
        required=False,
        widget=upload_widget(),
        help_text=UPLOAD_HELP_TEXT,
    )

    def __init__(self, *args, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if question is not None and not self.is_bound:
            self.fields["written_answer"].initial = question.written_answer
            self.fields["expected_revision"].initial = question.revision


class DeliverableForm(RequestKeyMixin, ModelForm):
    file = forms.FileField(
        label=_("Archivo (primera versión)"),
        required=False,
        widget=upload_widget(),
        help_text=UPLOAD_HELP_TEXT,
    )
    note = forms.CharField(label=_("Nota de la versión"), required=False, max_length=500)

    class Meta:
        model = Deliverable
        fields = ["kind", "title", "institution", "due_date"]
        widgets = {"due_date": DATE_WIDGET}

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ModelChoiceField)  # the model's foreign key
        institution.queryset = institutions
        if institutions.count() == 1:
            self.fields["institution"].initial = institutions.first()


class DeliverableVersionForm(RequestKeyMixin, Form):
    file = forms.FileField(
        label=_("Archivo"),
        widget=upload_widget(),
        help_text=UPLOAD_HELP_TEXT,
    )
    note = forms.CharField(label=_("Nota de la versión"), required=False, max_length=500)
