"""The regional performance ranking of the 25 G/DRTPE (seed 004, «Ranking de desempeño regional»).

A `Ranking` is one semester's evaluation: its method (the weight of each of the three
dimensions, the thresholds of the three levels and how a missing value counts) and one
`RankingEntry` per region with the values of the three dimensions. Publishing it stores a
`RankingVersion`: the method and the values as they were, the levels computed from them and the
PDF (with its SHA-256). Versions are never changed or deleted, so anyone can recompute a
published ranking from what it stores (`ranking.scoring`).
"""

import uuid
from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capacity_plan.models import Region

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Dimension(models.TextChoices):
    """The three dimensions of the seed, in its order (1 and 2: physical goals; 3: financial)."""

    GOALS = "goals", _("Cumplimiento de metas programadas")
    ADDITIONAL = "additional", _("Esfuerzo adicional a lo programado")
    FINANCIAL = "financial", _("Ejecución financiera de transferencias SUNAFIL")


class MissingData(models.TextChoices):
    ZERO = "zero", _("Un valor que falta cuenta como 0")
    REWEIGHT = "reweight", _("Los pesos se reparten entre las dimensiones con valor")


class Level(models.TextChoices):
    """The three performance levels (the seed assigns three; it does not name them)."""

    HIGH = "high", _("Nivel alto")
    MEDIUM = "medium", _("Nivel medio")
    LOW = "low", _("Nivel bajo")


class Ranking(models.Model):
    class Semester(models.IntegerChoices):
        FIRST = 1, _("Primer semestre")
        SECOND = 2, _("Segundo semestre")

    year = models.PositiveSmallIntegerField(_("año"), validators=[MinValueValidator(2024), MaxValueValidator(2100)])
    semester = models.PositiveSmallIntegerField(_("semestre"), choices=Semester.choices)
    weight_goals = models.DecimalField(
        _("peso de la dimensión 1 (%)"), max_digits=5, decimal_places=2, default=Decimal("50"), validators=PERCENT
    )
    weight_additional = models.DecimalField(
        _("peso de la dimensión 2 (%)"), max_digits=5, decimal_places=2, default=Decimal("20"), validators=PERCENT
    )
    weight_financial = models.DecimalField(
        _("peso de la dimensión 3 (%)"), max_digits=5, decimal_places=2, default=Decimal("30"), validators=PERCENT
    )
    threshold_high = models.DecimalField(
        _("puntaje mínimo del nivel alto"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("75"),
        validators=PERCENT,
    )
    threshold_medium = models.DecimalField(
        _("puntaje mínimo del nivel medio"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT,
    )
    missing = models.CharField(
        _("un valor que falta"), max_length=10, choices=MissingData.choices, default=MissingData.ZERO
    )
    # Raised by every save of its method or values: a page opened before another save is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("creado por"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)

    class Meta:
        ordering = ["-year", "-semester"]
        verbose_name = _("ranking de desempeño regional")
        verbose_name_plural = _("rankings de desempeño regional")
        constraints = [
            models.UniqueConstraint(fields=["year", "semester"], name="ranking_one_per_semester"),
            models.CheckConstraint(
                condition=Q(weight_goals__gte=0)
                & Q(weight_additional__gte=0)
                & Q(weight_financial__gte=0)
                & Q(weight_goals__lte=100)
                & Q(weight_additional__lte=100)
                & Q(weight_financial__lte=100),
                name="ranking_weights_are_percentages",
            ),
            models.CheckConstraint(
                condition=Q(threshold_medium__gte=0)
                & Q(threshold_high__lte=100)
                & Q(threshold_medium__lt=F("threshold_high")),
                name="ranking_thresholds_in_order",
            ),
        ]

    def __str__(self):
        return str(_("Ranking %(semester)s %(year)s") % {"semester": self.semester_label, "year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("ranking:detail", args=[self.pk])

    @property
    def semester_label(self) -> str:
        return str(self.get_semester_display()).lower()

    @property
    def file_slug(self) -> str:
        return f"ranking-regional-{self.year}-s{self.semester}"

    def clean(self):
        errors: dict[str, Any] = {}
        weights = [self.weight_goals, self.weight_additional, self.weight_financial]
        if all(weight is not None for weight in weights) and sum(weights) != 100:
            errors["weight_goals"] = _("Los tres pesos deben sumar 100 (suman %(total)s).") % {
                "total": f"{sum(weights):g}"
            }
        if (
            self.threshold_high is not None
            and self.threshold_medium is not None
            and self.threshold_medium >= self.threshold_high
        ):
            errors["threshold_medium"] = _("El mínimo del nivel medio debe ser menor que el del nivel alto.")
        if errors:
            raise ValidationError(errors)


class RankingEntry(models.Model):
    """One region's values in a ranking, each a percentage (0–100) or empty (no data)."""

    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    region = models.ForeignKey(Region, verbose_name=_("región"), on_delete=models.PROTECT, related_name="+")
    goals = models.DecimalField(
        _("cumplimiento de metas (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    additional = models.DecimalField(
        _("esfuerzo adicional (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    financial = models.DecimalField(
        _("ejecución financiera SUNAFIL (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    note = models.CharField(_("observación"), max_length=500, blank=True)

    class Meta:
        ordering = ["ranking", "region__name"]
        verbose_name = _("valores de una región")
        verbose_name_plural = _("valores de las regiones")
        constraints = [
            models.UniqueConstraint(fields=["ranking", "region"], name="ranking_entry_one_per_region"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | (Q(**{f"{name}__gte": 0}) & Q(**{f"{name}__lte": 100})),
                    name=f"ranking_entry_{name}_percentage",
                )
                for name in ("goals", "additional", "financial")
            ),
        ]

    def __str__(self):
        return f"{self.ranking} – {self.region}"


def version_path(instance: "RankingVersion", filename: str) -> str:
    return f"private/ranking/{filename}"


class RankingVersion(models.Model):
    """A published ranking: immutable, numbered per ranking, with its PDF and the data it was
    computed from (method, values, scores and levels)."""

    request_key = models.UUIDField(_("clave de la solicitud"), unique=True, default=uuid.uuid4, editable=False)
    ranking = models.ForeignKey(Ranking, verbose_name=_("ranking"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versión"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicada por"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("publicada el"))
    file = models.FileField(_("PDF"), upload_to=version_path, max_length=300)
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("datos de origen"), help_text=_("El método y los valores con que se calculó."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("versión publicada del ranking")
        verbose_name_plural = _("versiones publicadas del ranking")
        constraints = [models.UniqueConstraint(fields=["ranking", "number"], name="ranking_version_number_unique")]

    def __str__(self):
        return f"{self.ranking} – v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Una versión publicada no se modifica: publique una nueva."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ranking:version", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Una versión publicada no se borra."))

    @property
    def creator_label(self) -> str:
        user = self.created_by
        return (user.get_full_name() or user.username) if user else ""
