"""Training actions (acciones formativas), their sessions, attendance registers and
satisfaction surveys, and the public servants who attend them."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.collation import spanish_order
from core.validators import dni, plausible_date, plausible_datetime

from .plan import LONG_TEXT_MAX_LENGTH, Milestone, text_length_validator
from .reference import OrganisationalUnit, Region, Theme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DIPLOMA_MINIMUM_HOURS = Decimal(24)  # Ley 30220, art. 43
# The share of an action's sessions a servant attends to earn its certificate, unless the action
# sets its own (certificates.eligibility).
DEFAULT_MINIMUM_ATTENDANCE_PERCENT = 80


class PublicServant(models.Model):
    """A regional public servant. `identity_key` (national ID, else e-mail, else name and region)
    makes one identity across actions and imports, so nobody is counted twice."""

    class Profile(models.TextChoices):
        NEW = "new", _("Personal nuevo y/o sin experiencia")
        STRUGGLING = (
            "struggling",
            _("Personal con experiencia, presenta dificultades para realizar el servicio esperado"),
        )
        IMPROVING = "improving", _("Personal con experiencia que requiere mejora continua")

    full_name = models.CharField(_("nombres y apellidos"), max_length=200)
    document_number = models.CharField(_("DNI"), max_length=15, blank=True, validators=[dni])
    email = models.EmailField(_("correo electrónico"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("región"), on_delete=models.PROTECT, related_name="servants")
    position = models.CharField(_("cargo"), max_length=200, blank=True)
    profile = models.CharField(_("perfil"), max_length=12, choices=Profile.choices, blank=True)
    # Long enough for the longest key: "email:" and a 254-character address.
    identity_key = models.CharField(max_length=300, unique=True, editable=False)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)

    class Meta:
        ordering = [spanish_order("full_name")]
        verbose_name = _("servidor/a público/a")
        verbose_name_plural = _("servidores públicos")

    def __str__(self):
        return f"{self.full_name} ({self.region})"

    @staticmethod
    def make_identity_key(*, document_number: str, email: str, full_name: str, region_id) -> str:
        document_number = "".join(ch for ch in (document_number or "") if ch.isalnum()).upper()
        if document_number:
            return f"dni:{document_number}"
        if email:
            return f"email:{email.strip().lower()}"
        return f"name:{' '.join(full_name.lower().split())}|{region_id}"

    def clean(self):
        if not self.full_name.strip():
            raise ValidationError({"full_name": _("Escriba el nombre.")})
        self.identity_key = self.make_identity_key(
            document_number=self.document_number, email=self.email, full_name=self.full_name, region_id=self.region_id
        )


class TrainingActionQuerySet(models.QuerySet["TrainingAction"]):
    """`planned_start`/`planned_end` are an action's CURRENT dates (a reschedule moves them);
    `original_start`/`original_end` keep the first programmed ones of a rescheduled action.
    Everything that places actions in time filters on the current dates."""

    def in_range(self, first: datetime.date, last: datetime.date) -> "TrainingActionQuerySet":
        """Actions whose current dates touch the days from `first` to `last`."""
        return self.filter(planned_start__lte=last).filter(
            Q(planned_end__gte=first) | Q(planned_end__isnull=True, planned_start__gte=first)
        )

    def in_month(self, year: int, month: int) -> "TrainingActionQuerySet":
        first = datetime.date(year, month, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        return self.in_range(first, last)

    def starting_between(self, first: datetime.date, last: datetime.date) -> "TrainingActionQuerySet":
        """Actions whose current start falls from `first` to `last` (how a period counts them)."""
        return self.filter(planned_start__range=(first, last))

    def rescheduled_out_of(self, first: datetime.date, last: datetime.date) -> "TrainingActionQuerySet":
        """Actions first programmed to start from `first` to `last` and rescheduled to start
        outside those days."""
        return self.filter(original_start__range=(first, last)).exclude(planned_start__range=(first, last))


class TrainingAction(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "taller", _("Taller")
        COURSE = "curso", _("Curso")
        DIPLOMA = "diplomado", _("Diplomado o programa de especialización")
        INTERNSHIP = "pasantia", _("Pasantía")
        CONFERENCE = "conferencia", _("Conferencia")
        TECHNICAL_ASSISTANCE = "asistencia_tecnica", _("Asistencia técnica")

    class Status(models.TextChoices):
        PROGRAMMED = "programada", _("Programada")
        EXECUTED = "ejecutada", _("Ejecutada")
        RESCHEDULED = "reprogramada", _("Reprogramada")
        CANCELLED = "cancelada", _("Cancelada")

    class Modality(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "presencial", _("Presencial")
        HYBRID = "hibrida", _("Híbrida")

    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=300)
    theme = models.ForeignKey(
        Theme, verbose_name=_("temática"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    organisational_unit = models.ForeignKey(
        OrganisationalUnit, verbose_name=_("unidad orgánica"), on_delete=models.PROTECT, related_name="actions"
    )
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("hito"), on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    programmed = models.BooleanField(_("programada en el plan anual"), default=True)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PROGRAMMED)
    status_reason = models.TextField(_("motivo"), blank=True)
    modality = models.CharField(_("modalidad"), max_length=10, choices=Modality.choices, default=Modality.VIRTUAL)
    hours = models.DecimalField(
        _("horas"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    # The current dates: a reschedule moves them and keeps the first ones in original_*.
    planned_start = models.DateField(_("inicio programado"), validators=[plausible_date])
    planned_end = models.DateField(_("fin programado"), null=True, blank=True, validators=[plausible_date])
    original_start = models.DateField(
        _("inicio programado original"),
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text=_("La fecha de inicio con la que se programó, si se reprogramó después."),
    )
    original_end = models.DateField(_("fin programado original"), null=True, blank=True, validators=[plausible_date])
    executed_start = models.DateField(_("inicio ejecutado"), null=True, blank=True, validators=[plausible_date])
    executed_end = models.DateField(_("fin ejecutado"), null=True, blank=True, validators=[plausible_date])
    target_regions = models.ManyToManyField(
        Region, verbose_name=_("regiones destinatarias"), blank=True, related_name="actions"
    )
    facilitator = models.CharField(_("facilitador/a"), max_length=200, blank=True)
    minimum_attendance_percent = models.PositiveSmallIntegerField(
        _("asistencia mínima para el certificado (%)"),
        default=DEFAULT_MINIMUM_ATTENDANCE_PERCENT,
        validators=[
            MinValueValidator(1, _("La asistencia mínima va de 1 % a 100 %.")),
            MaxValueValidator(100, _("La asistencia mínima va de 1 % a 100 %.")),
        ],
        help_text=_("Porcentaje de las sesiones al que debe asistir una persona para recibir su certificado."),
    )
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(m2m_fields=[target_regions])

    objects = TrainingActionQuerySet.as_manager()

    class Meta:
        ordering = ["planned_start", "title"]
        indexes = [
            models.Index(fields=["planned_start"], name="action_planned_start"),
            models.Index(fields=["original_start"], name="action_original_start"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_attendance_percent__gte=1, minimum_attendance_percent__lte=100),
                name="action_minimum_attendance_percent_1_to_100",
            ),
        ]
        verbose_name = _("acción formativa")
        verbose_name_plural = _("acciones formativas")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("capacity_plan:action", args=[self.pk])

    @property
    def was_rescheduled(self) -> bool:
        """Whether the action starts on another day than the one it was first programmed for."""
        return self.original_start is not None and self.original_start != self.planned_start

    def clean(self):
        errors: dict[str, StrOrPromise] = {}
        if self.kind == self.Kind.DIPLOMA and self.hours is not None and self.hours < DIPLOMA_MINIMUM_HOURS:
            errors["hours"] = _(
                "Un diplomado o programa de especialización dura al menos 24 horas "
                "(Ley 30220, art. 43); se indicaron %(hours)s."
            ) % {"hours": self.hours}
        if self.status == self.Status.RESCHEDULED and not self.original_start:
            errors["original_start"] = _("Una acción reprogramada guarda la fecha con la que se programó.")
        if self.status == self.Status.RESCHEDULED and not self.status_reason.strip():
            errors["status_reason"] = _("Indique el motivo de la reprogramación.")
        if self.status == self.Status.CANCELLED and not self.status_reason.strip():
            errors["status_reason"] = _("Indique el motivo de la cancelación.")
        if self.planned_end and self.planned_start and self.planned_end < self.planned_start:
            errors["planned_end"] = _("El fin programado no puede ser anterior al inicio.")
        if self.original_end and self.original_start and self.original_end < self.original_start:
            errors["original_end"] = _("El fin programado original no puede ser anterior al inicio.")
        if self.executed_end and self.executed_start and self.executed_end < self.executed_start:
            errors["executed_end"] = _("El fin ejecutado no puede ser anterior al inicio.")
        if errors:
            raise ValidationError(errors)


class ActionSession(models.Model):
    action = models.ForeignKey(TrainingAction, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("fecha"), validators=[plausible_date])
    duration_hours = models.DecimalField(
        _("duración (horas)"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    topic = models.CharField(_("tema de la sesión"), max_length=255, blank=True)

    class Meta:
        ordering = ["action", "date", "pk"]
        indexes = [models.Index(fields=["date"], name="action_session_date")]
        verbose_name = _("sesión de la acción")
        verbose_name_plural = _("sesiones de la acción")

    def __str__(self):
        return f"{self.action} – {self.date}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Presente")
        ABSENT = "absent", _("Ausente")
        JUSTIFIED = "justified", _("Justificado")

    session = models.ForeignKey(ActionSession, on_delete=models.CASCADE, related_name="attendance")
    servant = models.ForeignKey(
        PublicServant, verbose_name=_("servidor/a"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("asistencia"), max_length=10, choices=Status.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", spanish_order("servant__full_name")]
        verbose_name = _("registro de asistencia")
        verbose_name_plural = _("registros de asistencia")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "servant"],
                name="one_attendance_per_servant_and_session",
                violation_error_message=_("Esa persona ya tiene asistencia en esta sesión."),
            ),
        ]

    def __str__(self):
        return f"{self.servant} – {self.session}: {self.get_status_display()}"


RATING = [
    MinValueValidator(1, _("La calificación va de 1 a 5.")),
    MaxValueValidator(5, _("La calificación va de 1 a 5.")),
]


class SurveyAspect(models.TextChoices):
    """The five aspects a satisfaction survey rates from 1 to 5, in the order every page, form,
    import and report shows them. The values are SatisfactionResponse's field names."""

    CLARITY = "clarity", _("Claridad")
    USEFULNESS = "usefulness", _("Utilidad")
    MATERIALS = "materials", _("Materiales")
    FACILITATOR = "facilitator", _("Facilitador/a")
    APPLICABILITY = "applicability", _("Aplicabilidad")


class SatisfactionResponse(models.Model):
    DIMENSIONS = tuple(SurveyAspect.values)

    action = models.ForeignKey(
        TrainingAction, verbose_name=_("acción formativa"), on_delete=models.CASCADE, related_name="survey_responses"
    )
    servant = models.ForeignKey(
        PublicServant,
        verbose_name=_("servidor/a (vacío: anónima)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    clarity = models.PositiveSmallIntegerField(SurveyAspect.CLARITY.label, validators=RATING)
    usefulness = models.PositiveSmallIntegerField(SurveyAspect.USEFULNESS.label, validators=RATING)
    materials = models.PositiveSmallIntegerField(SurveyAspect.MATERIALS.label, validators=RATING)
    facilitator = models.PositiveSmallIntegerField(SurveyAspect.FACILITATOR.label, validators=RATING)
    applicability = models.PositiveSmallIntegerField(SurveyAspect.APPLICABILITY.label, validators=RATING)
    comments = models.TextField(
        _("comentarios"),
        blank=True,
        max_length=LONG_TEXT_MAX_LENGTH,
        validators=[text_length_validator(LONG_TEXT_MAX_LENGTH)],
    )
    submitted_at = models.DateTimeField(_("respondida el"), validators=[plausible_datetime])
    source_key = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("Huella de la fila importada: volver a importar no duplica."),
    )
    is_demo = models.BooleanField(_("dato de demostración"), default=False)

    class Meta:
        ordering = ["action", "submitted_at"]
        indexes = [models.Index(fields=["submitted_at"], name="survey_submitted_at")]
        verbose_name = _("respuesta de encuesta de satisfacción")
        verbose_name_plural = _("encuestas de satisfacción")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    clarity__gte=1,
                    clarity__lte=5,
                    usefulness__gte=1,
                    usefulness__lte=5,
                    materials__gte=1,
                    materials__lte=5,
                    facilitator__gte=1,
                    facilitator__lte=5,
                    applicability__gte=1,
                    applicability__lte=5,
                ),
                name="ratings_between_1_and_5",
            ),
        ]

    def __str__(self):
        who = self.servant if self.servant_id else _("anónima")
        return f"{self.action} – {who} – {self.submitted_at:%Y-%m-%d}"

    @property
    def average(self) -> Decimal:
        return Decimal(sum(getattr(self, name) for name in self.DIMENSIONS)) / len(self.DIMENSIONS)
