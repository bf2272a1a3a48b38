"""Notifications: one row per recipient and event, written in the transaction of the change that
causes it (or by a daily collector), before any e-mail goes out.

The unique (recipient, key) makes every event idempotent: a retried task, a collector run twice
the same day or two workers racing never make a second row, so never a second e-mail. The e-mail
is a state on the row (pending -> sending -> sent | failed), claimed with one conditional UPDATE.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SENDING = "sending", _("Enviándose")
        SENT = "sent", _("Enviado")
        FAILED = "failed", _("Fallido")
        SKIPPED = "skipped", _("Sin correo")
        DIGEST = "digest", _("En el resumen diario")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinatario"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("tipo"), max_length=64)
    key = models.CharField(_("clave"), max_length=255, help_text=_("Evento, objeto y día: única por destinatario."))
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("enlace"), max_length=500)
    context = models.JSONField(_("datos"), default=dict, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    email_status = models.CharField(
        _("correo"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    last_error = models.TextField(_("último error"), blank=True)
    sending_since = models.DateTimeField(_("enviándose desde"), null=True, blank=True)
    sent_at = models.DateTimeField(_("enviado"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_per_recipient")]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_status", "sending_since"], name="notification_email_status"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


class NotificationPreference(models.Model):
    """A user's choice for one kind; no row means the kind's default (on, immediate)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("tipo"), max_length=64)
    enabled = models.BooleanField(_("recibir por correo"), default=True)
    digest = models.BooleanField(_("en el resumen diario"), default=False)

    class Meta:
        verbose_name = _("preferencia de notificación")
        verbose_name_plural = _("preferencias de notificación")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}"
