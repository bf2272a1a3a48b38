"""The plan's structure: plan → components → milestones (hitos) → indicators → measurements."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.validators import plausible_date
from rial_site.uploads import upload_path

from .reference import Region


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
        constraints = [models.UniqueConstraint(fields=["component", "number"], name="milestone_number_unique")]

    def __str__(self):
        return _("Hito %(number)s: %(name)s") % {"number": self.number, "name": self.name}

    def get_absolute_url(self):
        return reverse("capacity_plan:milestone", args=[self.pk])


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
    survey_dimension = models.CharField(
        _("aspecto de la encuesta"), max_length=14, blank=True, help_text=_("Vacío: promedio de los cinco aspectos.")
    )
    risk_margin = models.DecimalField(
        _("margen de riesgo (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        help_text=_("Hasta qué porcentaje de la meta por debajo (o por encima) se considera «en riesgo»."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["milestone__number", "order", "pk"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")

    def __str__(self):
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.source in self.COMPUTED_SOURCES

    def clean(self):
        from .training import SurveyAspect

        if self.survey_dimension and self.survey_dimension not in SurveyAspect.values:
            raise ValidationError({"survey_dimension": _("Aspecto desconocido.")})
        if self.kind == self.Kind.SCALE and self.target is not None and not Decimal(1) <= self.target <= Decimal(5):
            raise ValidationError({"target": _("En una escala de 1 a 5 la meta debe estar entre 1 y 5.")})


class Measurement(models.Model):
    """A manual indicator's value for one bimonthly period, with its evidence."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField(_("año"))
    bimester = models.PositiveSmallIntegerField(_("bimestre"), validators=[MinValueValidator(1), MaxValueValidator(6)])
    value = models.DecimalField(_("valor"), max_digits=10, decimal_places=2)
    note = models.TextField(_("nota"), blank=True)
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
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "bimester"], name="measurement_per_period")]

    def __str__(self):
        return f"{self.indicator} {self.year}-B{self.bimester}: {self.value}"


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
    explanation = models.TextField(_("explicación"))
    corrective_action = models.TextField(_("acción correctiva"))
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
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "bimester"], name="review_per_period")]

    def __str__(self):
        return f"{self.indicator} {self.year}-B{self.bimester}: {self.get_reason_display()}"
