"""Certificates and the jobs that issue them.

A `Certificate` is issued once per subject: a servant who qualified in a PFC training action
(kind «training»), or a participant of a RIAL cooperation (kind «participation»). Its facts (name,
masked DNI, title, hours, dates, issuer) are frozen when it is issued, so the public verification
page (`/verificar/<code>`) shows what the PDF says even if the records change later. Its `code` is
long and random (secrets.token_urlsafe) and never changes; issuing again keeps the certificate and
its code. A certificate is never deleted: it is revoked, with a reason, and `history` keeps both
states.

A `CertificateJob` is one request to issue the certificates of an action or a cooperation, run by
a Celery worker (certificates.services.certificate_job_run): a row with a status, its progress
(`processed` of `total`), a heartbeat while a worker runs it, the reason it failed and, when done,
the ZIP of all the valid certificates of its subject. Like the report jobs, a running job whose
worker stopped heartbeating is stale and is marked failed by beat.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from capacity_plan.models import PublicServant, TrainingAction
from cooperations.models import Cooperation, Participation

# 24 random bytes: 192 bits, 32 URL-safe characters.
CODE_BYTES = 24


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class CertificateKind(models.TextChoices):
    TRAINING = "training", _("Certificado de acción formativa")
    PARTICIPATION = "participation", _("Certificado de participación en cooperación RIAL")


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Válido")
        REVOKED = "revoked", _("Revocado")

    code = models.CharField(_("código de verificación"), max_length=64, unique=True, default=new_code, editable=False)
    kind = models.CharField(_("tipo"), max_length=15, choices=CertificateKind.choices)
    # A training certificate: the action and the servant.
    action = models.ForeignKey(
        TrainingAction,
        verbose_name=_("acción formativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    servant = models.ForeignKey(
        PublicServant,
        verbose_name=_("servidor/a"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    # A participation certificate: the cooperation and the participant (a participant removed from
    # the cooperation later leaves the certificate, with its frozen facts, in place).
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperación"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    # The facts, as printed and verified.
    holder_name = models.CharField(_("nombre"), max_length=200)
    document_masked = models.CharField(_("DNI (parcial)"), max_length=20, blank=True)
    title = models.CharField(_("título"), max_length=400)
    subject_kind = models.CharField(_("modalidad del certificado"), max_length=200)
    hours = models.DecimalField(_("horas"), max_digits=6, decimal_places=1, null=True, blank=True)
    start_date = models.DateField(_("desde"), null=True, blank=True)
    end_date = models.DateField(_("hasta"), null=True, blank=True)
    issuer = models.CharField(_("emitido por"), max_length=300)
    issued_at = models.DateTimeField(_("emitido el"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("emitido por (usuario)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(_("PDF"), upload_to="private/certificates/", max_length=300, blank=True)
    file_name = models.CharField(_("nombre del archivo"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revocado el"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(_("motivo de la revocación"), max_length=1000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["holder_name", "pk"]
        verbose_name = _("certificado")
        verbose_name_plural = _("certificados")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "servant"],
                condition=Q(kind="training"),
                name="one_certificate_per_servant_and_action",
            ),
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(kind="participation", participation__isnull=False),
                name="one_certificate_per_participation",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="training",
                    action__isnull=False,
                    servant__isnull=False,
                    cooperation__isnull=True,
                    participation__isnull=True,
                )
                | Q(kind="participation", cooperation__isnull=False, action__isnull=True, servant__isnull=True),
                name="certificate_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True) | Q(status="revoked", revoked_at__isnull=False),
                name="certificate_revocation_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("verify_certificate", args=[self.code])

    @property
    def verification_url(self) -> str:
        """The address printed on the certificate (and in its QR code)."""
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


# One run of a job (the task's Celery limits): soft (the task stops with a reason), then hard.
SOFT_TIME_LIMIT = datetime.timedelta(minutes=20)
TIME_LIMIT = datetime.timedelta(minutes=25)
HEARTBEAT_INTERVAL = datetime.timedelta(seconds=30)
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=3)
TIME_LIMIT_MARGIN = datetime.timedelta(minutes=2)


class CertificateJobQuerySet(QuerySet["CertificateJob"]):
    def stale(self, *, now: datetime.datetime) -> "CertificateJobQuerySet":
        """Running jobs whose worker stopped heartbeating, or that outlived their time limit."""
        return self.alias(last_sign=Coalesce("heartbeat_at", "started_at", "requested_at")).filter(
            Q(last_sign__lt=now - HEARTBEAT_TIMEOUT) | Q(started_at__lt=now - TIME_LIMIT - TIME_LIMIT_MARGIN),
            status=CertificateJob.Status.RUNNING,
        )


class CertificateJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Emitiéndose")
        DONE = "done", _("Listo")
        FAILED = "failed", _("Falló")

    request_key = models.UUIDField(_("clave de la solicitud"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=15, choices=CertificateKind.choices)
    action = models.ForeignKey(
        TrainingAction,
        verbose_name=_("acción formativa"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_jobs",
    )
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperación"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_jobs",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitado por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("solicitado el"), auto_now_add=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("certificados por preparar"), default=0)
    processed = models.PositiveIntegerField(_("certificados preparados"), default=0)
    issued = models.PositiveIntegerField(_("certificados nuevos"), default=0)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    error = models.TextField(_("motivo del fallo"), blank=True)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("última señal"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)
    archive = models.FileField(_("ZIP"), upload_to="private/certificates/zip/", max_length=300, blank=True)
    archive_name = models.CharField(_("nombre del ZIP"), max_length=255, blank=True)

    objects = CertificateJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("emisión de certificados")
        verbose_name_plural = _("emisiones de certificados")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="training", action__isnull=False, cooperation__isnull=True)
                | Q(kind="participation", action__isnull=True, cooperation__isnull=False),
                name="certificate_job_subject_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.subject} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("certificates:job", args=[self.pk])

    @property
    def subject(self):
        return self.action if self.kind == CertificateKind.TRAINING else self.cooperation

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def requester_label(self) -> str:
        user = self.requested_by
        return (user.get_full_name() or user.username) if user else "—"

    @property
    def progress_percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else 0

    def is_stale_at(self, now: datetime.datetime) -> bool:
        if self.status != self.Status.RUNNING:
            return False
        last_sign = self.heartbeat_at or self.started_at or self.requested_at
        over_limit = self.started_at is not None and self.started_at < now - TIME_LIMIT - TIME_LIMIT_MARGIN
        return last_sign < now - HEARTBEAT_TIMEOUT or over_limit
