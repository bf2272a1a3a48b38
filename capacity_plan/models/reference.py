"""Reference data of the PFC: regions (G/DRTPE), MTPE organisational units, themes, and the
recording schedule of the YouTube channel (Hito 10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.collation import spanish_order
from core.validators import plausible_date


class Region(models.Model):
    """One of the 25 regional labour directorates (G/DRTPE)."""

    name = models.CharField(_("región"), max_length=80, unique=True)
    directorate = models.CharField(_("G/DRTPE"), max_length=160, blank=True)

    class Meta:
        ordering = [spanish_order("name")]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self):
        return self.name


class OrganisationalUnit(models.Model):
    """An organ or organisational unit (UO) of the MTPE, e.g. DNT under DGT."""

    acronym = models.CharField(_("sigla"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("órgano"), on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("unidad orgánica")
        verbose_name_plural = _("unidades orgánicas")

    def __str__(self):
        """The acronym and, beside it, the full name when it is known: «DNT – Dirección de
        Normativa de Trabajo» (drop-downs, lists, the admin)."""
        return f"{self.acronym} – {self.name}" if self.name else self.acronym


class Theme(models.Model):
    """A grouped training theme (temática): the diagnosis grouped 116 raw themes into 55."""

    name = models.CharField(_("temática"), max_length=255, unique=True)
    organisational_unit = models.ForeignKey(
        OrganisationalUnit,
        verbose_name=_("unidad orgánica"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
    )

    class Meta:
        ordering = [spanish_order("name")]
        verbose_name = _("temática")
        verbose_name_plural = _("temáticas")

    def __str__(self):
        return self.name


class RecordingSlot(models.Model):
    """A line of the recording schedule: a UO records its themes on a given date."""

    organisational_unit = models.ForeignKey(
        OrganisationalUnit, verbose_name=_("unidad orgánica"), on_delete=models.PROTECT, related_name="recording_slots"
    )
    theme_count = models.PositiveSmallIntegerField(_("n.º de temáticas"))
    recording_date = models.DateField(_("fecha de grabación"), validators=[plausible_date])
    recorded = models.BooleanField(_("grabado"), default=False)

    class Meta:
        ordering = ["recording_date", "organisational_unit__acronym"]
        verbose_name = _("grabación programada")
        verbose_name_plural = _("cronograma de grabaciones")

    def __str__(self):
        return f"{self.organisational_unit} – {self.recording_date}"
