"""The plan's structure: plan → components → milestones (hitos) → indicators → measurements."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formats import short_date_text
from core.validators import plausible_date
from rial_site.uploads import upload_path

from ..periods import Bimester
from .reference import Region

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The longest note, explanation or corrective action a person is asked to write: a few
# paragraphs, not a pasted document.
NOTE_MAX_LENGTH = 2000
LONG_TEXT_MAX_LENGTH = 4000


def text_length_validator(limit: int) -> MaxLengthValidator:
    return MaxLengthValidator(limit, _("Escriba como máximo %(limit_value)s caracteres (tiene %(show_value)s)."))


class Plan(models.Model):
    name = models.CharField(_("nombre"), max_length=255)
    short_name = models.CharField(_("nombre corto"), max_length=40)
    year = models.PositiveSmallIntegerField(_("año"))
    owner = models.CharField(_("responsable"), max_length=255, blank=True)
    legal_basis = models.TextField(_("base legal"), blank=True)
    general_objective = models.TextField(_("objetivo general"), blank=True)
    # Diagnosis baseline (the year before the plan).
    baseline_year = models.PositiveSmallIntegerField(_("año de la línea de base"), null=True, blank=True)
    baseline_raw_themes = models.PositiveIntegerField(_("temáticas encontradas"), null=True, blank=True)
    baseline_grouped_themes = models.PositiveIntegerField(_("temáticas agrupadas"), null=True, blank=True)
    baseline_programmed = models.PositiveIntegerField(_("intervenciones programadas"), null=True, blank=True)
    baseline_executed = models.PositiveIntegerField(_("ejecutadas"), null=True, blank=True)
    baseline_rescheduled = models.PositiveIntegerField(_("reprogramadas"), null=True, blank=True)
    baseline_cancelled = models.PositiveIntegerField(_("canceladas"), null=True, blank=True)
    baseline_not_programmed = models.PositiveIntegerField(_("no programadas"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan")
        verbose_name_plural = _("planes")

    def __str__(self):
        return self.short_name

    @property
    def baseline_unaccounted(self) -> int | None:
        """Programmed interventions the baseline counts neither as executed, rescheduled nor
        cancelled (444 − 356 − 20 − 50 = 18 in the 2024 diagnosis)."""
        programmed, executed, rescheduled, cancelled = (
            self.baseline_programmed,
            self.baseline_executed,
            self.baseline_rescheduled,
            self.baseline_cancelled,
        )
        if programmed is None or executed is None or rescheduled is None or cancelled is None:
            return None
        return programmed - executed - rescheduled - cancelled


class PlanObjective(models.Model):
    class Level(models.TextChoices):
        REGIONAL = "regional", _("A nivel regional")
        MTPE = "mtpe", _("A nivel MTPE")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    level = models.CharField(_("nivel"), max_length=10, choices=Level.choices)
    letter = models.CharField(_("literal"), max_length=2)
    text = models.TextField(_("objetivo específico"))

    class Meta:
        ordering = ["plan", "level", "letter"]
        verbose_name = _("objetivo específico del plan")
        verbose_name_plural = _("objetivos específicos del plan")

    def __str__(self):
        return f"{self.letter}) {self.text[:60]}"


class Component(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="components")
    number = models.PositiveSmallIntegerField(_("número"))
    name = models.CharField(_("nombre"), max_length=255)
    scope = models.TextField(_("alcance"), blank=True)
    expected_outcome = models.TextField(_("resultado esperado"), blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("componente")
        verbose_name_plural = _("componentes")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="component_number_unique")]

    def __str__(self):
        return _("Componente %(number)s: %(name)s") % {"number": self.number, "name": self.name}


class Milestone(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Programado")
        IN_PROGRESS = "in_progress", _("En ejecución")
        DONE = "done", _("Concluido")
        SUSPENDED = "suspended", _("Suspendido")

    component = models.ForeignKey(
        Component, verbose_name=_("componente"), on_delete=models.PROTECT, related_name="milestones"
    )
    number = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    name = models.CharField(_("nombre"), max_length=255)
    objective = models.TextField(_("objetivo"), blank=True)
    target_audience = models.TextField(_("público objetivo"), blank=True)
    target_audience_size = models.PositiveIntegerField(_("tamaño del público objetivo"), null=True, blank=True)
    stated_region_count = models.PositiveSmallIntegerField(
        _("n.º de regiones que indica el documento"),
        null=True,
        blank=True,
        help_text=_("Cuando el documento da un número de regiones distinto de las que nombra."),
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regiones nombradas"), blank=True, related_name="milestones"
    )
    duration = models.CharField(_("duración"), max_length=255, blank=True)
    modality = models.CharField(_("modalidad"), max_length=255, blank=True)
    contents = models.TextField(_("contenidos"), blank=True)
    inputs = models.TextField(_("insumos"), blank=True)
    expected_results = models.TextField(_("resultados esperados"), blank=True)
    roles = models.TextField(_("roles y funciones"), blank=True)
    planned_start = models.DateField(_("inicio previsto"), null=True, blank=True, validators=[plausible_date])
    planned_end = models.DateField(_("fin previsto"), null=True, blank=True, validators=[plausible_date])
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("hito")
        verbose_name_plural = _("hitos")
        constraints = [
            models.UniqueConstraint(fields=["component", "number"], name="milestone_number_unique"),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="milestone_dates_in_order",
                violation_error_message=_("El fin previsto no puede ser anterior al inicio."),
            ),
        ]

    def __str__(self):
        return _("Hito %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        return reverse("capacity_plan:milestone", args=[self.pk])

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("El fin previsto no puede ser anterior al inicio.")})


def value_in_range_of_kind(field_name: str) -> Q:
    """The database's version of value_range_error, for one column of an indicator (the
    values of Indicator.Kind, which is not defined yet)."""

    def between(low: int, high: int | None = None) -> Q:
        bounds = {f"{field_name}__gte": low}
        if high is not None:
            bounds[f"{field_name}__lte"] = high
        return Q(**bounds)

    return (
        (Q(kind="percentage") & between(0, 100))
        | (Q(kind="count") & between(0))
        | (Q(kind="scale") & between(1, 5))
        | (Q(kind="yes_no") & between(0, 1))
    )


class Indicator(models.Model):
    class Kind(models.TextChoices):
        PERCENTAGE = "percentage", _("Porcentaje")
        COUNT = "count", _("Número")
        SCALE = "scale", _("Escala 1–5")
        YES_NO = "yes_no", _("Sí / no")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Mayor es mejor")
        DECREASE = "decrease", _("Menor es mejor")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Registro manual con evidencia")
        ATTENDANCE_RATE = "attendance_rate", _("Registro de asistencia: % de asistencia")
        PARTICIPANTS = "participants", _("Registro de asistencia: servidores distintos que asistieron")
        SATISFACTION = "satisfaction", _("Encuesta de satisfacción: promedio")
        EXECUTED_SHARE = "executed_share", _("Acciones formativas: % de programadas ejecutadas")
        ACTION_COUNT = "action_count", _("Acciones formativas: n.º ejecutadas")

    class Scope(models.TextChoices):
        MILESTONE = "milestone", _("Acciones de este hito")
        PLAN = "plan", _("Todas las acciones del plan")

    COMPUTED_SOURCES = {
        Source.ATTENDANCE_RATE,
        Source.PARTICIPANTS,
        Source.SATISFACTION,
        Source.EXECUTED_SHARE,
        Source.ACTION_COUNT,
    }

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("hito"), on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    name = models.CharField(_("indicador"), max_length=400)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.PERCENTAGE)
    unit = models.CharField(_("unidad"), max_length=40, blank=True)
    baseline = models.DecimalField(_("línea de base"), max_digits=10, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("meta"), max_digits=10, decimal_places=2, null=True, blank=True)
    direction = models.CharField(_("sentido"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    source = models.CharField(_("fuente"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    scope = models.CharField(_("alcance del cálculo"), max_length=10, choices=Scope.choices, default=Scope.MILESTONE)
    survey_aspects = models.JSONField(
        _("aspectos de la encuesta"),
        default=list,
        blank=True,
        help_text=_("Los aspectos que promedia un indicador de satisfacción; vacío: los cinco."),
    )
    risk_margin = models.DecimalField(
        _("margen de riesgo (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("Hasta qué porcentaje de la meta por debajo (o por encima) se considera «en riesgo»."),
        validators=[
            MinValueValidator(0, _("El margen de riesgo va de 0 a 100.")),
            MaxValueValidator(100, _("El margen de riesgo va de 0 a 100.")),
        ],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone__number", "order", "pk"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | value_in_range_of_kind("target"),
                name="indicator_target_in_range",
                violation_error_message=_("La meta está fuera del rango que admite el tipo de indicador."),
            ),
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | value_in_range_of_kind("baseline"),
                name="indicator_baseline_in_range",
                violation_error_message=_("La línea de base está fuera del rango que admite el tipo de indicador."),
            ),
            models.CheckConstraint(
                condition=Q(risk_margin__gte=0, risk_margin__lte=100),
                name="indicator_risk_margin_0_100",
                violation_error_message=_("El margen de riesgo va de 0 a 100."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source in self.COMPUTED_SOURCES

    @property
    def averaged_aspects(self) -> tuple[str, ...]:
        """The survey aspects a satisfaction indicator averages (all five when none is chosen),
        in the survey's order."""
        from .training import SurveyAspect

        chosen = set(self.survey_aspects or ())
        return tuple(aspect for aspect in SurveyAspect.values if aspect in chosen) or tuple(SurveyAspect.values)

    def source_description(self) -> str:
        """Where the value comes from, naming the averaged aspects of a satisfaction indicator:
        «Encuesta de satisfacción: promedio de claridad y utilidad»."""
        from .training import SurveyAspect

        if self.source != self.Source.SATISFACTION or not self.survey_aspects:
            return str(self.get_source_display())
        labels = [str(SurveyAspect(aspect).label).lower() for aspect in self.averaged_aspects]
        if len(labels) == len(SurveyAspect.values):
            return str(self.get_source_display())
        names = (
            labels[0]
            if len(labels) == 1
            else _("%(first)s y %(last)s")
            % {
                "first": ", ".join(labels[:-1]),
                "last": labels[-1],
            }
        )
        return str(_("Encuesta de satisfacción: promedio de %(aspects)s") % {"aspects": names})

    def clean(self):
        from .training import SurveyAspect

        errors: dict[str, StrOrPromise] = {}
        aspects = self.survey_aspects
        if not isinstance(aspects, list) or not all(isinstance(aspect, str) for aspect in aspects):
            errors["survey_aspects"] = _("Elija los aspectos de la lista.")
        elif set(aspects) - set(SurveyAspect.values):
            errors["survey_aspects"] = _("Aspecto desconocido: %(aspects)s.") % {
                "aspects": ", ".join(sorted(set(aspects) - set(SurveyAspect.values)))
            }
        else:
            # One way of writing each choice: the survey's order, no repetitions; all five is
            # the same as none.
            chosen = [aspect for aspect in SurveyAspect.values if aspect in aspects]
            self.survey_aspects = [] if len(chosen) == len(SurveyAspect.values) else chosen
        for name in ("target", "baseline"):
            error = value_range_error(self.kind, getattr(self, name))
            if error:
                errors[name] = error
        if errors:
            raise ValidationError(errors)


def value_range_error(kind: str, value: Decimal | None) -> "StrOrPromise | None":
    """Why a value (measurement, target or baseline) cannot be one of an indicator of this
    kind: counts are never negative, percentages go from 0 to 100, a scale from 1 to 5, yes/no
    is 1 or 0. None when it can."""
    if value is None:
        return None
    if kind == Indicator.Kind.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        return _("Un porcentaje va de 0 a 100.")
    if kind == Indicator.Kind.COUNT and value < 0:
        return _("Un número de casos no puede ser negativo.")
    if kind == Indicator.Kind.SCALE and not Decimal(1) <= value <= Decimal(5):
        return _("En una escala de 1 a 5 el valor debe estar entre 1 y 5.")
    if kind == Indicator.Kind.YES_NO and value not in (Decimal(0), Decimal(1)):
        return _("Un indicador de sí / no vale 1 (sí) o 0 (no).")
    return None


class Measurement(models.Model):
    """A manual indicator's value for one bimonthly period, with its evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("año"))
    bimester = models.PositiveSmallIntegerField(_("bimestre"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    value = models.DecimalField(_("valor"), max_digits=10, decimal_places=2)
    note = models.TextField(
        _("nota"), blank=True, max_length=NOTE_MAX_LENGTH, validators=[text_length_validator(NOTE_MAX_LENGTH)]
    )
    evidence = models.FileField(_("evidencia"), upload_to=upload_path, blank=True, max_length=300)
    evidence_name = models.CharField(max_length=255, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registrado por"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("registrado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "bimester"]
        verbose_name = _("medición")
        verbose_name_plural = _("mediciones")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "bimester"], name="measurement_per_period"),
            # No kind of indicator takes a negative value; the upper bounds depend on the kind
            # (another table), so Measurement.clean checks them.
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="measurement_value_not_negative",
                violation_error_message=_("Ningún indicador toma valores negativos."),
            ),
            models.CheckConstraint(
                condition=Q(bimester__gte=1, bimester__lte=6),
                name="measurement_bimester_1_6",
                violation_error_message=_("El bimestre va de 1 a 6."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}-B{self.bimester}: {self.value}"

    def clean(self):
        if self.indicator_id is None or self.value is None:
            return
        error = value_range_error(self.indicator.kind, self.value)
        if error:
            raise ValidationError({"value": error})


class IndicatorReview(models.Model):
    """Why an indicator is off track in a period, and what will be done about it."""

    class Reason(models.TextChoices):
        LOW_ATTENDANCE = "low_attendance", _("Baja asistencia o convocatoria")
        RESCHEDULING = "rescheduling", _("Reprogramación o cancelación de acciones")
        BUDGET = "budget", _("Falta de presupuesto o recursos")
        STAFF = "staff", _("Rotación o falta de personal")
        CONNECTIVITY = "connectivity", _("Problemas de conectividad o plataforma")
        COORDINATION = "coordination", _("Falta de coordinación con la UO o la región")
        DATA = "data", _("Registros incompletos")
        OTHER = "other", _("Otra razón")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("año"))
    bimester = models.PositiveSmallIntegerField(_("bimestre"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    reason = models.CharField(_("razón"), max_length=16, choices=Reason.choices)
    explanation = models.TextField(
        _("explicación"), max_length=LONG_TEXT_MAX_LENGTH, validators=[text_length_validator(LONG_TEXT_MAX_LENGTH)]
    )
    corrective_action = models.TextField(
        _("acción correctiva"),
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[text_length_validator(LONG_TEXT_MAX_LENGTH)],
    )
    corrective_action_due = models.DateField(
        _("plazo de la acción correctiva"), null=True, blank=True, validators=[plausible_date]
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "bimester"]
        verbose_name = _("justificación de indicador")
        verbose_name_plural = _("justificaciones de indicadores")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "bimester"], name="review_per_period"),
            models.CheckConstraint(
                condition=Q(bimester__gte=1, bimester__lte=6),
                name="review_bimester_1_6",
                violation_error_message=_("El bimestre va de 1 a 6."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}-B{self.bimester}: {self.get_reason_display()}"

    def clean(self):
        if self.corrective_action_due is None or self.year is None or not 1 <= (self.bimester or 0) <= 6:
            return
        period = Bimester(self.year, self.bimester)
        if self.corrective_action_due < period.start:
            raise ValidationError(
                {
                    "corrective_action_due": _(
                        "El plazo de la acción correctiva no puede ser anterior al periodo que justifica "
                        "(%(period)s, desde el %(start)s)."
                    )
                    % {"period": period.label, "start": short_date_text(period.start)}
                }
            )
