"""Previews of imports: the uploaded file waits here between the preview and the confirmation
(pretix's `CachedFile`), and is deleted when confirmed or when it expires."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    """What a file imports. The values are the words the import pages have always used."""

    PARTICIPANTS = "participantes", _("participantes")
    ATTENDANCE = "asistencia", _("registro de asistencia")
    SURVEYS = "encuestas", _("encuestas de satisfacción")
    MEETING = "reunion", _("reporte de participantes de Zoom o Teams")


class ImportPreview(models.Model):
    """A file previewed (a dry run without errors) and waiting to be confirmed by who uploaded it,
    for the same kind of import and the same session or action, before `expires_at`."""

    token = models.UUIDField(_("código"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("tipo"), max_length=20, choices=ImportKind.choices)
    # The session (attendance) or action (surveys) the file was previewed for; empty for participants.
    target_id = models.PositiveBigIntegerField(_("destino"), null=True, blank=True)
    # Under MEDIA_ROOT/private/imports/, named by a random hex code and the upload's suffix.
    file = models.FileField(_("archivo"), upload_to="private/imports/", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subido por"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("subido el"))
    expires_at = models.DateTimeField(_("vence el"), db_index=True)

    class Meta:
        verbose_name = _("vista previa de importación")
        verbose_name_plural = _("vistas previas de importación")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.token}"


class ImportJob(models.Model):
    """An import too big to parse in a request (capacity_plan.imports.jobs): a Celery worker
    previews the stashed file (a dry run) and, once its uploader confirms, writes it. Like a
    report job, a row with a status, a heartbeat while a worker runs it, and the reason it
    failed; `report` is the ImportReport of its last step, as JSON."""

    class Step(models.TextChoices):
        PREVIEW = "preview", _("Vista previa")
        CONFIRM = "confirm", _("Importación")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("En curso")
        DONE = "done", _("Terminado")
        FAILED = "failed", _("Falló")

    kind = models.CharField(_("tipo"), max_length=20, choices=ImportKind.choices)
    target_id = models.PositiveBigIntegerField(_("destino"), null=True, blank=True)
    file = models.FileField(_("archivo"), upload_to="private/import-jobs/", max_length=300, blank=True)
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("subido por"), on_delete=models.CASCADE, related_name="+"
    )
    requested_at = models.DateTimeField(_("subido el"))
    expires_at = models.DateTimeField(_("vence el"), db_index=True)
    step = models.CharField(_("paso"), max_length=10, choices=Step.choices, default=Step.PREVIEW)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rename = models.BooleanField(_("reemplazar nombres registrados"), default=False)
    report = models.JSONField(_("resultado"), null=True, blank=True)
    error = models.TextField(_("motivo del fallo"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("última señal"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("importación en segundo plano")
        verbose_name_plural = _("importaciones en segundo plano")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
