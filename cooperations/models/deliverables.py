from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ImmutableRow
from core.validators import plausible_date
from rial_site.uploads import upload_path

from .cooperation import Cooperation
from .reference import Institution


class Deliverable(models.Model):
    class Kind(models.TextChoices):
        WORK_PLAN = "work_plan", _("Plan de trabajo")
        FINAL_REPORT = "final_report", _("Informe final")
        PRESENTATION = "presentation", _("Presentación")
        AGREEMENT = "agreement", _("Convenio")
        CURRICULUM = "curriculum", _("Plan curricular")
        OTHER = "other", _("Otro")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="deliverables")
    kind = models.CharField(_("tipo"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=300)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institución responsable"), on_delete=models.PROTECT, related_name="deliverables"
    )
    due_date = models.DateField(_("fecha de entrega"), null=True, blank=True, validators=[plausible_date])
    is_product = models.BooleanField(_("producto de la cooperación"), default=False)
    history = HistoricalRecords()

    # Set by the detail page for its template (not a column).
    can_upload: bool
    # Set by the home page's selector (cooperations.selectors.deliverables_due), not a column.
    overdue: bool

    class Meta:
        ordering = ["cooperation", "-is_product", "pk"]
        verbose_name = _("entregable")
        verbose_name_plural = _("entregables")

    def __str__(self):
        return self.title


class DeliverableVersion(ImmutableRow, models.Model):
    """One uploaded file of a deliverable. Never changed or deleted once stored."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("versión"))
    file = models.FileField(_("archivo"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subido por"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("subido el"), auto_now_add=True)

    class Meta:
        ordering = ["deliverable", "-number"]
        verbose_name = _("versión de entregable")
        verbose_name_plural = _("versiones de entregables")
        constraints = [models.UniqueConstraint(fields=["deliverable", "number"], name="deliverable_version_unique")]

    def __str__(self):
        return f"{self.deliverable} v{self.number}"
