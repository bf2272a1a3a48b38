"""Background exports: a list too long to write while the user waits (more than
settings.EXPORT_SYNC_MAX_ROWS rows) becomes an `ExportJob`, which a Celery worker writes to a
file under MEDIA_ROOT/private/exports/. Like a report job, a row with a status, its progress, a
heartbeat while a worker runs it and the reason it failed. The file is kept until `expires_at`
(settings.EXPORT_FILE_TTL after it was written); beat deletes it then and marks the job expired.

The job stores what the user asked for (the list, the format, the list page's query string and
the language of the headers) and runs as that user: its rows come from the same selector as the
page, scoped to `requested_by`.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The worker writing a job touches its heartbeat this often; six missed beats make it stale.
HEARTBEAT_INTERVAL = datetime.timedelta(seconds=10)
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=1)
# One run of a job (the run_export task's Celery limits, exports/tasks.py).
SOFT_TIME_LIMIT = datetime.timedelta(minutes=20)
TIME_LIMIT = datetime.timedelta(minutes=25)


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportJobQuerySet(QuerySet["ExportJob"]):
    def stale(self, *, now: datetime.datetime) -> "ExportJobQuerySet":
        """Running jobs whose worker stopped heartbeating, or that outlived their time limit."""
        return self.alias(last_sign=Coalesce("heartbeat_at", "started_at", "requested_at")).filter(
            Q(last_sign__lt=now - HEARTBEAT_TIMEOUT) | Q(started_at__lt=now - TIME_LIMIT - HEARTBEAT_TIMEOUT),
            status=ExportJob.Status.RUNNING,
        )

    def expired(self, *, now: datetime.datetime) -> "ExportJobQuerySet":
        """Jobs whose file (or whose wait for one) has outlived its time."""
        return self.filter(expires_at__lt=now).exclude(status=ExportJob.Status.EXPIRED)


def export_path(instance: "ExportJob", filename: str) -> str:
    return f"private/exports/{instance.request_key.hex}/{filename}"


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Exportándose")
        DONE = "done", _("Listo")
        FAILED = "failed", _("Falló")
        EXPIRED = "expired", _("Caducado")

    request_key = models.UUIDField(_("clave de la solicitud"), unique=True, default=uuid.uuid4, editable=False)
    list_name = models.CharField(_("lista"), max_length=30)
    file_format = models.CharField(_("formato"), max_length=4, choices=FileFormat.choices)
    # The list page's query string, as {name: [values]} (QueryDict.lists()).
    filters = models.JSONField(_("filtros"), default=dict, blank=True)
    language = models.CharField(_("idioma"), max_length=10, default="es")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("solicitado por"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("solicitado el"), default=timezone.now)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(_("filas"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("filas escritas"), default=0)
    error = models.TextField(_("motivo del fallo"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("última señal"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)
    expires_at = models.DateTimeField(_("vence el"), db_index=True)
    file = models.FileField(_("archivo"), upload_to=export_path, max_length=300, blank=True)
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("exportación en segundo plano")
        verbose_name_plural = _("exportaciones en segundo plano")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("exports:job", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def again_url(self) -> str:
        """The download of the same list with the same filters (to export it again)."""
        query = QueryDict(mutable=True)
        for name, values in self.filters.items():
            query.setlist(name, values)
        url = reverse("exports:download", args=[self.list_name, self.file_format])
        return f"{url}?{query.urlencode()}" if query else url

    @property
    def progress(self) -> int:
        """Per cent of the rows written (0..100)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)
