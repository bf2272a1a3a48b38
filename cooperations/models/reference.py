"""Reference data: countries, institutions, RIAL calls, and the focal point ↔ institution link."""

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.collation import spanish_order


@functools.cache
def _time_zone_names() -> frozenset[str]:
    """The IANA zones installed (reading them scans the zone files, so it is done once)."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _time_zone_names():
        raise ValidationError(
            _("«%(value)s» no es una zona horaria IANA (p. ej. America/Lima)."), params={"value": value}
        )


class Country(models.Model):
    iso_code = models.CharField(_("código ISO"), max_length=2, unique=True)
    name = models.CharField(_("nombre"), max_length=80)
    time_zone = models.CharField(
        _("zona horaria"), max_length=64, validators=[validate_time_zone], help_text=_("Zona IANA, p. ej. America/Lima")
    )

    class Meta:
        ordering = [spanish_order("name")]
        verbose_name = _("país")
        verbose_name_plural = _("países")

    def __str__(self):
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Institution(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministerio")
        MINISTRY_UNIT = "ministry_unit", _("Unidad de un ministerio")
        PERMANENT_MISSION = "permanent_mission", _("Misión Permanente ante la OEA")
        OAS = "oas", _("OEA")
        OTHER = "other", _("Otra")

    name = models.CharField(_("nombre"), max_length=255)
    acronym = models.CharField(_("sigla"), max_length=30, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("país"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
        help_text=_("Vacío para la OEA y otros organismos internacionales."),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.MINISTRY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("institución superior"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )

    class Meta:
        ordering = [spanish_order("country__name"), spanish_order("name")]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class Call(models.Model):
    """A RIAL call for proposals (convocatoria), e.g. the 15th of 2022."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    year = models.PositiveSmallIntegerField(_("año"))

    class Meta:
        ordering = ["-number"]
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")

    def __str__(self):
        return _("%(number)sª convocatoria (%(year)s)") % {"number": self.number, "year": self.year}


class FocalPoint(models.Model):
    """Links a user with the focal-point role to the one institution they speak for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("usuario"), on_delete=models.CASCADE, related_name="focal_point"
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institución"), on_delete=models.PROTECT, related_name="focal_points"
    )

    class Meta:
        verbose_name = _("punto focal")
        verbose_name_plural = _("puntos focales")

    def __str__(self):
        return f"{self.user} – {self.institution.short_name}"
