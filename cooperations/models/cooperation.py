"""The cooperation record: header, objectives, methodology, sessions, steps and participants."""

import datetime
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.collation import spanish_order
from core.dates import localtime_or_utc
from core.formats import names_text, short_date_text, shortened, time_text, weekday_date_text
from core.validators import (
    DOCUMENT_TEXT,
    LONG_TEXT,
    MEDIUM_TEXT,
    SHORT_TEXT,
    plausible_date,
    plausible_datetime,
    text_limit,
)

from .reference import Call, Country, Institution, validate_time_zone


class CooperationQuerySet(models.QuerySet["Cooperation"]):
    def for_institutions(self, ids: Iterable[int]) -> "CooperationQuerySet":
        """Cooperations in which one of these institutions is the requesting or providing party."""
        return self.filter(Q(requesting_institution__in=ids) | Q(providing_institution__in=ids))


class Cooperation(models.Model):
    class Modality(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "in_person", _("Presencial")
        HYBRID = "hybrid", _("Híbrida")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planificada")
        IN_PROGRESS = "in_progress", _("En curso")
        CLOSED = "closed", _("Cerrada")

    title = models.CharField(_("título"), max_length=400)
    short_name = models.CharField(
        _("nombre corto"),
        max_length=80,
        help_text=_("Para encabezados y listas, p. ej. «Perú – Paraguay: Generación Digital»."),
    )
    topic = models.CharField(_("temática"), max_length=255)
    call = models.ForeignKey(
        Call, verbose_name=_("convocatoria"), on_delete=models.PROTECT, related_name="cooperations"
    )
    requesting_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institución solicitante"),
        on_delete=models.PROTECT,
        related_name="requested_cooperations",
    )
    providing_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institución que comparte su experiencia"),
        on_delete=models.PROTECT,
        related_name="provided_cooperations",
    )
    modality = models.CharField(_("modalidad"), max_length=12, choices=Modality.choices, default=Modality.VIRTUAL)
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    website = models.URLField(_("sitio web"), blank=True)
    connection_url = models.URLField(_("enlace de conexión a las sesiones"), blank=True)
    description = models.TextField(
        _("descripción"), max_length=LONG_TEXT, validators=[text_limit(LONG_TEXT)], blank=True
    )
    general_objective = models.TextField(
        _("objetivo general"), max_length=MEDIUM_TEXT, validators=[text_limit(MEDIUM_TEXT)], blank=True
    )
    product_description = models.TextField(
        _("producto esperado"), max_length=MEDIUM_TEXT, validators=[text_limit(MEDIUM_TEXT)], blank=True
    )
    version_label = models.CharField(
        _("versión del documento"),
        max_length=255,
        blank=True,
        help_text=_("Tal como aparece en el documento, p. ej. «Versión final»."),
    )
    version_date = models.DateField(_("fecha de la versión"), null=True, blank=True, validators=[plausible_date])
    revision = models.PositiveIntegerField(
        _("revisión"), default=1, editable=False, help_text=_("Aumenta con cada cambio guardado; evita sobrescrituras.")
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    # OEA staff who receive its notifications (deadlines, new deliverable versions…).
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("seguida por"), blank=True, related_name="followed_cooperations"
    )
    history = HistoricalRecords()

    objects = CooperationQuerySet.as_manager()

    class Meta:
        ordering = ["-call__number", "short_name"]
        verbose_name = _("cooperación bilateral")
        verbose_name_plural = _("cooperaciones bilaterales")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requesting_institution=models.F("providing_institution")),
                name="cooperation_two_different_institutions",
                violation_error_message=_(
                    "La institución solicitante y la que comparte su experiencia deben ser distintas."
                ),
            ),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("cooperations:detail", args=[self.pk])

    def clean(self):
        errors: dict[str, Any] = {}
        for name in ("requesting_institution", "providing_institution"):
            institution = getattr(self, name) if getattr(self, f"{name}_id") else None
            if institution is not None and institution.kind != Institution.Kind.MINISTRY:
                errors[name] = _(
                    "«%(institution)s» no es un ministerio: solo los ministerios pueden ser las partes de una "
                    "cooperación (la OEA y las Misiones Permanentes participan en sus delegaciones)."
                ) % {"institution": institution}
        if self.requesting_institution_id and self.requesting_institution_id == self.providing_institution_id:
            errors.setdefault(
                "providing_institution",
                _("La institución solicitante y la que comparte su experiencia deben ser distintas."),
            )
        if errors:
            raise ValidationError(errors)

    @property
    def institutions(self) -> tuple[Institution, Institution]:
        return (self.requesting_institution, self.providing_institution)

    @property
    def countries(self) -> list[Country]:
        """The countries of both institutions, requesting first, without repeats."""
        result = []
        for institution in self.institutions:
            if institution.country and institution.country not in result:
                result.append(institution.country)
        return result


class SpecificObjective(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="objectives")
    order = models.PositiveSmallIntegerField(_("orden"))
    text = models.TextField(_("objetivo específico"), max_length=SHORT_TEXT, validators=[text_limit(SHORT_TEXT)])
    short_label = models.CharField(
        _("título breve"),
        max_length=255,
        blank=True,
        help_text=_("Como se agrupan las preguntas, p. ej. en el Anexo 1."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation", "order"]
        verbose_name = _("objetivo específico")
        verbose_name_plural = _("objetivos específicos")
        constraints = [models.UniqueConstraint(fields=["cooperation", "order"], name="objective_order_unique")]

    def __str__(self):
        return self.short_label or shortened(self.text)


class MethodologyStep(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="methodology_steps")
    order = models.PositiveSmallIntegerField(_("orden"))
    title = models.CharField(_("título"), max_length=255)
    text = models.TextField(_("descripción"), max_length=MEDIUM_TEXT, validators=[text_limit(MEDIUM_TEXT)], blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation", "order"]
        verbose_name = _("paso de la metodología")
        verbose_name_plural = _("pasos de la metodología")

    def __str__(self):
        return self.title


# A recording that stops being available within this many days is flagged on pages and PDFs.
RECORDING_EXPIRY_WARNING_DAYS = 14


class RecordingState(models.TextChoices):
    VALID = "valid", _("disponible")
    EXPIRING = "expiring", _("vence pronto")
    EXPIRED = "expired", _("vencida")


def recording_state(until: datetime.date | None, today: datetime.date) -> str:
    """ "expired" past «disponible hasta» (the link and code no longer work), "expiring" within
    RECORDING_EXPIRY_WARNING_DAYS of it, "valid" otherwise or without a date."""
    if until is None:
        return RecordingState.VALID
    if until < today:
        return RecordingState.EXPIRED
    if (until - today).days <= RECORDING_EXPIRY_WARNING_DAYS:
        return RecordingState.EXPIRING
    return RecordingState.VALID


class Session(models.Model):
    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Reunión de coordinación")
        REGULAR = "regular", _("Sesión")
        INTERMEDIATE = "intermediate", _("Sesión intermedia")
        CLOSING = "closing", _("Sesión de cierre")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Programada")
        HELD = "held", _("Realizada")
        CANCELLED = "cancelled", _("Cancelada")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(_("orden"))
    kind = models.CharField(_("tipo"), max_length=14, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("título"), max_length=120, blank=True, help_text=_("p. ej. «Primera sesión»."))
    time_zone = models.CharField(
        _("zona horaria del organizador"), max_length=64, default="America/Lima", validators=[validate_time_zone]
    )
    date = models.DateField(
        _("fecha"),
        null=True,
        blank=True,
        help_text=_("Día en la zona del organizador (cuando aún no hay hora)."),
        validators=[plausible_date],
    )
    starts_at = models.DateTimeField(_("inicio"), null=True, blank=True, validators=[plausible_datetime])
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True, validators=[plausible_datetime])
    date_label = models.CharField(
        _("fecha por definir"),
        max_length=160,
        blank=True,
        help_text=_("Cuando no hay fecha: p. ej. «Segunda quincena de agosto (por definir)»."),
    )
    platform = models.CharField(_("plataforma"), max_length=80, blank=True)
    planned_contents = models.TextField(
        _("contenidos propuestos"), max_length=LONG_TEXT, validators=[text_limit(LONG_TEXT)], blank=True
    )
    summary = models.TextField(
        _("resumen de lo realizado"), max_length=DOCUMENT_TEXT, validators=[text_limit(DOCUMENT_TEXT)], blank=True
    )
    recording_url = models.URLField(_("enlace a la grabación"), blank=True)
    recording_access_code = models.CharField(_("código de acceso a la grabación"), max_length=80, blank=True)
    recording_available_until = models.DateField(
        _("grabación disponible hasta"), null=True, blank=True, validators=[plausible_date]
    )
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The SEQUENCE of its invitations (cooperations.invitations): bumped on every change of day or
    # time and on a cancellation, so calendars update the event they hold.
    invitation_sequence = models.PositiveIntegerField(_("secuencia de la invitación"), default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation", "order"]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False), name="session_end_needs_start"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_undecided(self) -> bool:
        return self.date is None and self.starts_at is None

    @property
    def local_date(self) -> datetime.date | None:
        if self.starts_at:
            return localtime_or_utc(self.starts_at, self.zone).date()
        return self.date

    def clean(self):
        errors: dict[str, Any] = {}
        if self.ends_at and not self.starts_at:
            errors["starts_at"] = _("Indique el inicio si indica el fin.")
        # Aware moments in one zone compare as wall clocks (a repeated hour would pass): compare in UTC.
        if (
            self.starts_at
            and self.ends_at
            and self.ends_at.astimezone(datetime.UTC) <= self.starts_at.astimezone(datetime.UTC)
        ):
            errors["ends_at"] = _("El fin debe ser posterior al inicio.")
        if self.is_undecided and not self.date_label:
            errors["date_label"] = _(
                "Indique una fecha o escriba cuándo se prevé (p. ej. «Primera quincena de octubre (por definir)»)."
            )
        if self.status == self.Status.HELD and self.is_undecided:
            errors["status"] = _("Una sesión realizada necesita fecha.")
        elif self.status == self.Status.HELD and self._is_in_the_future():
            errors["status"] = _("Una sesión con fecha futura no puede estar «Realizada»: márquela como programada.")
        day = self.local_date
        if self.recording_available_until and day and self.recording_available_until < day:
            errors["recording_available_until"] = _(
                "La grabación no puede dejar de estar disponible antes de la sesión (%(day)s)."
            ) % {"day": short_date_text(day)}
        if errors:
            raise ValidationError(errors)
        if self.starts_at:
            self.date = localtime_or_utc(self.starts_at, self.zone).date()
            self.date_label = ""

    def _is_in_the_future(self) -> bool:
        if self.starts_at:
            return self.starts_at > timezone.now()
        return bool(self.date and self.date > timezone.localdate(timezone=self.zone))

    def recording_state(self, today: datetime.date | None = None) -> str:
        """The recording's RecordingState on `today`, by default today in the organiser's zone
        (the one «disponible hasta» was typed in)."""
        return recording_state(self.recording_available_until, today or timezone.localdate(timezone=self.zone))

    @property
    def recording_expired(self) -> bool:
        return self.recording_state() == RecordingState.EXPIRED

    @property
    def recording_expiring(self) -> bool:
        return self.recording_state() == RecordingState.EXPIRING

    def times_in(self, countries) -> list[dict]:
        """Start and end in each country's own zone (from the IANA rules of that date), with
        the texts the pages show, e.g. {"country": Paraguay, "time_text": "10:00–13:00", ...}."""
        return [
            {"country": country, **times_in_zone(self.starts_at, self.ends_at, country.zone)} for country in countries
        ]

    @property
    def date_text(self) -> str:
        """The session's day in the organiser's zone, in words ("martes, 17 de mayo de 2022")."""
        day = self.local_date
        return weekday_date_text(day) if day else ""


def times_in_zone(starts_at, ends_at, zone: zoneinfo.ZoneInfo) -> dict:
    """A session's start and end seen from one zone, with the texts pages and PDFs print:
    {"starts_at", "ends_at", "time_text": "10:00–13:00", "date_text": "Martes, 17 de mayo de 2022"}."""
    starts_at = localtime_or_utc(starts_at, zone) if starts_at else None
    ends_at = localtime_or_utc(ends_at, zone) if ends_at else None
    hours = ""
    if starts_at:
        hours = time_text(starts_at)
        if ends_at:
            hours += "–" + time_text(ends_at)
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "time_text": hours,
        "date_text": weekday_date_text(starts_at.date()) if starts_at else "",
    }


class Step(models.Model):
    """Something an institution has to do between sessions, possibly by a deadline."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="steps")
    after_session = models.ForeignKey(
        Session,
        verbose_name=_("después de la sesión"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following_steps",
        help_text=_("Vacío: antes de la primera sesión."),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.TextField(_("paso"), max_length=MEDIUM_TEXT, validators=[text_limit(MEDIUM_TEXT)])
    responsible_institutions = models.ManyToManyField(
        Institution,
        verbose_name=_("responsables"),
        blank=True,
        related_name="steps",
        help_text=_("Una o varias, p. ej. «El MITRADEL y el MTPE compartirán…»."),
    )
    due_date = models.DateField(_("a más tardar el"), null=True, blank=True, validators=[plausible_date])
    done = models.BooleanField(_("cumplido"), default=False)
    history = HistoricalRecords()

    # Set by the selectors and views that list steps, for the templates (not columns).
    overdue: bool
    can_mark: bool  # the user may mark it done (MARK_STEP_DONE)

    class Meta:
        ordering = ["cooperation", "order", "pk"]
        verbose_name = _("paso / plazo")
        verbose_name_plural = _("pasos y plazos")

    def __str__(self):
        return shortened(self.text)

    @property
    def responsible_names(self) -> list[str]:
        """The responsible institutions' acronyms (or names), from the prefetched rows."""
        return [institution.short_name for institution in self.responsible_institutions.all()]

    @property
    def responsible_text(self) -> str:
        """«MITRADEL y MTPE», «—» when the step names nobody."""
        return names_text(self.responsible_names) or "—"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return bool(self.due_date and not self.done and self.due_date < (today or timezone.localdate()))


class Person(models.Model):
    full_name = models.CharField(_("nombre"), max_length=200)
    email = models.EmailField(_("correo electrónico"), blank=True)

    class Meta:
        ordering = [spanish_order("full_name")]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self):
        return self.full_name


class Participation(models.Model):
    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="participations"
    )
    position = models.CharField(_("cargo"), max_length=300, blank=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.PROTECT, related_name="participations"
    )
    delegation = models.ForeignKey(
        Country,
        verbose_name=_("delegación"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text=_("País de la delegación; vacío para la OEA."),
    )
    note = models.CharField(
        _("nota"), max_length=255, blank=True, help_text=_("p. ej. «en los inicios de la cooperación»")
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cooperation", "order", "pk"]
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")

    def __str__(self):
        return f"{self.person} – {self.institution.short_name}"

    def clean(self):
        """The delegation is the institution's country (a ministry, one of its units or the
        country's Permanent Mission to the OAS) or the OEA (no country) for the OEA. Only a
        participant of an institution without a country other than the OEA (another
        international body) may be placed in a country's delegation."""
        if not self.institution_id:
            return
        institution = self.institution
        if institution.country_id is not None and self.delegation_id != institution.country_id:
            raise ValidationError(
                {
                    "delegation": _(
                        "%(institution)s es de %(country)s: su participante va en la delegación de %(country)s."
                    )
                    % {"institution": institution.short_name, "country": institution.country}
                }
            )
        if institution.kind == Institution.Kind.OAS and self.delegation_id is not None:
            raise ValidationError({"delegation": _("Quien participa por la OEA va en la delegación de la OEA.")})
