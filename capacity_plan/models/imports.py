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
