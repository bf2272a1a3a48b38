"""Self check-in: participants register their own attendance and answer the satisfaction survey
through a link (and its QR code) that ODES opens for one session of a training action."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import plausible_datetime

from .training import ActionSession, PublicServant


def new_link_token() -> str:
    """16 URL-safe characters (96 random bits): short enough to type from a screen, too many to guess."""
    return secrets.token_urlsafe(12)


def new_survey_ticket() -> str:
    return secrets.token_urlsafe(24)


class CheckInLink(models.Model):
    """The check-in link of a session, open from `opens_at` to `closes_at`. Closing it or
    renewing it (a new link replaces it) makes its address answer «cerrado» / «reemplazado»."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Activo")
        CLOSED = "closed", _("Cerrado")
        RENEWED = "renewed", _("Reemplazado por uno nuevo")

    session = models.ForeignKey(
        ActionSession, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="check_in_links"
    )
    token = models.CharField(_("código"), max_length=40, unique=True, default=new_link_token, editable=False)
    opens_at = models.DateTimeField(_("abre"), validators=[plausible_datetime])
    closes_at = models.DateTimeField(_("cierra"), validators=[plausible_datetime])
    state = models.CharField(_("estado"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("abierto por"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)

    class Meta:
        ordering = ["session", "-created_at", "-pk"]
        verbose_name = _("enlace de registro de asistencia")
        verbose_name_plural = _("enlaces de registro de asistencia")
        constraints = [
            models.UniqueConstraint(
                fields=["session"], condition=Q(state="active"), name="one_active_check_in_link_per_session"
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="check_in_window_ordered"),
        ]

    def __str__(self) -> str:
        # No relation read: admin pages list many of them at once.
        return str(_("Enlace de registro de asistencia (%(state)s)") % {"state": self.get_state_display()})


class CheckIn(models.Model):
    """A servant who checked in to a session by its link (the attendance itself is the session's
    Attendance row, which the grid and the imports share). `survey_ticket` opens the survey
    once; `survey_answered` says it was answered, and nothing here links to the answer, so an
    anonymous answer stays anonymous and is still counted once."""

    session = models.ForeignKey(
        ActionSession, verbose_name=_("sesión"), on_delete=models.CASCADE, related_name="check_ins"
    )
    servant = models.ForeignKey(
        PublicServant, verbose_name=_("servidor/a"), on_delete=models.PROTECT, related_name="check_ins"
    )
    link = models.ForeignKey(
        CheckInLink, verbose_name=_("enlace"), on_delete=models.SET_NULL, null=True, related_name="check_ins"
    )
    checked_in_at = models.DateTimeField(_("registrada el"))
    survey_ticket = models.CharField(max_length=40, unique=True, default=new_survey_ticket, editable=False)
    survey_answered = models.BooleanField(_("respondió la encuesta"), default=False)

    class Meta:
        ordering = ["session", "checked_in_at"]
        verbose_name = _("registro propio de asistencia")
        verbose_name_plural = _("registros propios de asistencia")
        constraints = [
            models.UniqueConstraint(fields=["session", "servant"], name="one_check_in_per_servant_and_session"),
        ]

    def __str__(self) -> str:
        return str(_("Registro propio de asistencia n.º %(number)s") % {"number": self.pk})
