"""Report jobs and the immutable PDF versions they produce.

A `ReportJob` is one request ("publish a new summary of cooperation 3", "the Mar–Apr
monitoring report of PFC 2025"), naming what it reports on (the cooperation, or the plan and
period) and identified by a `request_key` so that two clicks, a retried task or a
re-fired beat schedule never make two versions. A `ReportVersion` is what a job produced: the
PDF, its size and SHA-256, and the snapshot of data it was rendered from. Versions are never
changed or deleted.

A running job's worker touches `heartbeat_at` every HEARTBEAT_INTERVAL (services.job_run). A
running job counts as stale, abandoned by a worker that died with it, when its heartbeat is older
than HEARTBEAT_TIMEOUT or when it started longer ago than its hard time limit plus a margin
(no live worker runs it any more: Celery kills a run at TIME_LIMIT). Stale jobs can be retried,
and a beat job marks them failed.
"""

import datetime
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from capacity_plan.models import Plan
from capacity_plan.models.plan import text_length_validator
from capacity_plan.periods import Bimester
from cooperations.models import Cooperation


class Kind(models.TextChoices):
    SUMMARY = "summary", _("Resumen de cooperación")
    MONITORING = "monitoring", _("Informe de seguimiento bimestral")


class PeriodMixin(models.Model):
    """The bimonthly period of a monitoring report (empty for summaries)."""

    period_year = models.PositiveSmallIntegerField(_("año"), null=True, blank=True)
    period_number = models.PositiveSmallIntegerField(_("bimestre"), null=True, blank=True)

    # Fields of both subclasses.
    kind: str
    cooperation: Cooperation | None

    class Meta:
        abstract = True

    @property
    def period(self) -> Bimester | None:
        return Bimester(self.period_year, self.period_number) if self.period_year and self.period_number else None

    @staticmethod
    def _user_label(user: User | None) -> str:
        if user is None:
            return str(_("el calendario de informes"))
        return user.get_full_name() or user.username

    @property
    def subject(self) -> str:
        """What the report is about, as lists show it."""
        return str(self.cooperation) if self.kind == Kind.SUMMARY else str(self.period)


# One run of a job (the generate_report task's Celery limits, reports/tasks.py): soft (the
# task stops with a reason), then hard (the worker kills the child).
SOFT_TIME_LIMIT = datetime.timedelta(minutes=5)
TIME_LIMIT = datetime.timedelta(minutes=7)
# The worker rendering a job touches its heartbeat this often; six missed beats make it stale.
HEARTBEAT_INTERVAL = datetime.timedelta(seconds=30)
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=3)
# A run older than the hard limit by this much is certainly not running anywhere.
TIME_LIMIT_MARGIN = datetime.timedelta(minutes=2)


class ReportJobQuerySet(QuerySet["ReportJob"]):
    def stale(self, *, now: datetime.datetime) -> "ReportJobQuerySet":
        """Running jobs whose worker stopped heartbeating, or that outlived their time limit."""
        return self.alias(last_sign=Coalesce("heartbeat_at", "started_at", "requested_at")).filter(
            Q(last_sign__lt=now - HEARTBEAT_TIMEOUT) | Q(started_at__lt=now - TIME_LIMIT - TIME_LIMIT_MARGIN),
            status=ReportJob.Status.RUNNING,
        )

    def retryable(self, *, now: datetime.datetime) -> "ReportJobQuerySet":
        """Failed jobs, and running ones that are stale."""
        return self.filter(Q(status=ReportJob.Status.FAILED) | Q(pk__in=self.stale(now=now).values("pk")))


class ReportJob(PeriodMixin):
    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        RUNNING = "running", _("Generándose")
        DONE = "done", _("Listo")
        FAILED = "failed", _("Falló")

    class Trigger(models.TextChoices):
        USER = "user", _("A pedido")
        SCHEDULE = "schedule", _("Programado")

    request_key = models.UUIDField(_("clave de la solicitud"), unique=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperación"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    # The plan a monitoring report is about, fixed when it is requested: the worker renders this
    # plan even if another one is loaded meanwhile. Empty when no plan was loaded (the job fails).
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    label = models.CharField(_("etiqueta de la versión"), max_length=120, blank=True)
    is_final = models.BooleanField(_("versión final"), default=False)
    open_for_comments = models.BooleanField(_("abierta a comentarios"), default=False)
    trigger = models.CharField(_("origen"), max_length=10, choices=Trigger.choices, default=Trigger.USER)
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
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    error = models.TextField(_("motivo del fallo"), blank=True)
    started_at = models.DateTimeField(_("iniciado el"), null=True, blank=True)
    # Touched by the worker while the job runs (see the module's docstring).
    heartbeat_at = models.DateTimeField(_("última señal del generador"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminado el"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("trabajo de informe")
        verbose_name_plural = _("trabajos de informes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="summary", cooperation__isnull=False, plan__isnull=True, period_year__isnull=True)
                    | Q(
                        kind="monitoring",
                        cooperation__isnull=True,
                        period_year__isnull=False,
                        period_number__gte=1,
                        period_number__lte=6,
                    )
                ),
                name="report_job_subject_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.subject} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def requester_label(self) -> str:
        return self._user_label(self.requested_by)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_stale_at(self, now: datetime.datetime) -> bool:
        """Running, but abandoned by its worker (ReportJobQuerySet.stale, for one row in memory)."""
        if self.status != self.Status.RUNNING:
            return False
        last_sign = self.heartbeat_at or self.started_at or self.requested_at
        over_limit = self.started_at is not None and self.started_at < now - TIME_LIMIT - TIME_LIMIT_MARGIN
        return last_sign < now - HEARTBEAT_TIMEOUT or over_limit

    @property
    def is_stale(self) -> bool:
        return self.is_stale_at(timezone.now())

    @property
    def is_retryable(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale


def report_path(instance: "ReportVersion", filename: str) -> str:
    return f"private/reports/{instance.kind}/{filename}"


class ReportVersion(PeriodMixin):
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    cooperation = models.ForeignKey(
        Cooperation,
        verbose_name=_("cooperación"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_versions",
    )
    number = models.PositiveIntegerField(_("versión"))
    label = models.CharField(_("etiqueta"), max_length=120, blank=True)
    is_final = models.BooleanField(_("versión final"), default=False)
    # The cooperation's focal points may comment on it (SummaryComment) while it is the latest
    # version of its series; a final version never is.
    open_for_comments = models.BooleanField(_("abierta a comentarios"), default=False)
    job = models.OneToOneField(ReportJob, verbose_name=_("trabajo"), on_delete=models.PROTECT, related_name="version")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publicada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("generada el"))
    file = models.FileField(_("PDF"), upload_to=report_path, max_length=300)
    file_name = models.CharField(_("nombre del archivo"), max_length=255)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("datos de origen"), help_text=_("Los datos con que se generó el PDF."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("versión de informe")
        verbose_name_plural = _("versiones de informes")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "number"], condition=Q(kind="summary"), name="summary_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["period_year", "period_number", "number"],
                condition=Q(kind="monitoring"),
                name="monitoring_version_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(open_for_comments=False) | Q(kind="summary", is_final=False),
                name="report_version_open_for_comments_is_a_draft_summary",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.subject} – v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValidationError(_("Una versión publicada no se modifica: publique una nueva."))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:version", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Una versión publicada no se borra."))

    @property
    def creator_label(self) -> str:
        return self._user_label(self.created_by)


class SummarySeries(models.Model):
    """Whether a cooperation's summary series is closed by a final version. Staff may reopen it."""

    cooperation = models.OneToOneField(
        Cooperation, on_delete=models.CASCADE, primary_key=True, related_name="summary_series"
    )
    is_closed = models.BooleanField(_("cerrada"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("serie de resúmenes")
        verbose_name_plural = _("series de resúmenes")

    def __str__(self):
        return str(self.cooperation)


class SummarySection(models.TextChoices):
    """The parts of the summary a comment is about (the PDF's headings)."""

    GENERAL = "general", _("Descripción, objetivos y producto")
    METHODOLOGY = "methodology", _("Metodología")
    SESSIONS = "sessions", _("Sesiones y pasos")
    PARTICIPANTS = "participants", _("Participantes")
    QUESTIONS = "questions", _("Anexo 1: Preguntas")
    OTHER = "other", _("Todo el documento")


class SummaryCommentQuerySet(QuerySet["SummaryComment"]):
    def to_list_in_next_version(self, *, cooperation_id: int) -> "SummaryCommentQuerySet":
        """Resolved comments on the cooperation's summaries that no version has listed yet."""
        return self.filter(
            version__cooperation_id=cooperation_id,
            status=SummaryComment.Status.RESOLVED,
            listed_in__isnull=True,
        )


class SummaryComment(models.Model):
    """A ministry's comment on one section of a summary version open to comments, resolved by OEA
    staff with a short note. The next version published lists the comments resolved since the
    previous one (in its snapshot, and `listed_in` points at it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pendiente")
        RESOLVED = "resolved", _("Resuelto")

    version = models.ForeignKey(
        ReportVersion, verbose_name=_("versión"), on_delete=models.PROTECT, related_name="comments"
    )
    section = models.CharField(_("sección"), max_length=20, choices=SummarySection.choices)
    # The party the author speaks for (one of the cooperation's two institutions); empty: OEA.
    institution = models.ForeignKey(
        "cooperations.Institution",
        verbose_name=_("institución"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("autor"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comentario"), max_length=4000)
    created_at = models.DateTimeField(_("enviado el"), default=timezone.now)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("resolución"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resuelto por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resuelto el"), null=True, blank=True)
    listed_in = models.ForeignKey(
        ReportVersion,
        verbose_name=_("listado en la versión"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_comments",
    )
    history = HistoricalRecords()

    objects = SummaryCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comentario de resumen")
        verbose_name_plural = _("comentarios de resúmenes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", resolved_at__isnull=True, listed_in__isnull=True)
                | Q(status="resolved", resolved_at__isnull=False),
                name="summary_comment_resolution_matches_status",
            ),
        ]

    def __str__(self):
        return f"{self.version} – {self.get_section_display()} – {self.institution_label}"

    @property
    def institution_label(self) -> str:
        return self.institution.short_name if self.institution else str(_("OEA"))

    @property
    def author_label(self) -> str:
        return PeriodMixin._user_label(self.author) if self.author else "—"

    @property
    def resolver_label(self) -> str:
        return PeriodMixin._user_label(self.resolved_by) if self.resolved_by else "—"


# The narrative's texts: long enough for a few pages of a report, short enough to stay a report.
NARRATIVE_MAX_LENGTH = 6000


class MonitoringNarrative(models.Model):
    """What ODES writes about one bimonthly period of a plan, beside the figures the monitoring
    report computes: an executive summary, an analysis and recommendations, and who signs the
    report. Edited in place (every save is a new `revision`, each kept in `history`); each
    monitoring version generated for the period freezes the text it was generated with into its
    snapshot, so a later version can carry an edited narrative and an earlier one keeps its own."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="narratives")
    period_year = models.PositiveSmallIntegerField(_("año"))
    period_number = models.PositiveSmallIntegerField(_("bimestre"))
    executive_summary = models.TextField(
        _("resumen ejecutivo"),
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[text_length_validator(NARRATIVE_MAX_LENGTH)],
        blank=True,
        help_text=_("Lo esencial del periodo para la Alta Dirección. Se imprime junto a las cifras del informe."),
    )
    analysis = models.TextField(
        _("análisis"),
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[text_length_validator(NARRATIVE_MAX_LENGTH)],
        blank=True,
        help_text=_("Qué explica las cifras: logros, dificultades, causas de los indicadores fuera de ruta."),
    )
    recommendations = models.TextField(
        _("recomendaciones"),
        max_length=NARRATIVE_MAX_LENGTH,
        validators=[text_length_validator(NARRATIVE_MAX_LENGTH)],
        blank=True,
        help_text=_("Qué se propone hacer, y quién, en el periodo siguiente."),
    )
    signer_name = models.CharField(
        _("nombre de quien firma"),
        max_length=120,
        blank=True,
        help_text=_("Vacío: el nombre configurado para los informes, si lo hay."),
    )
    signer_role = models.CharField(
        _("cargo de quien firma"),
        max_length=160,
        blank=True,
        help_text=_("Vacío: el cargo configurado para los informes, o la oficina responsable del plan."),
    )
    revision = models.PositiveIntegerField(_("revisión"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modificada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("modificada el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("narrativa de seguimiento")
        verbose_name_plural = _("narrativas de seguimiento")
        ordering = ["-period_year", "-period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_year", "period_number"], name="monitoring_narrative_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_number__gte=1, period_number__lte=6), name="monitoring_narrative_period_number"
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.period}"

    @property
    def period(self) -> Bimester:
        return Bimester(self.period_year, self.period_number)

    @property
    def is_empty(self) -> bool:
        return not (self.executive_summary.strip() or self.analysis.strip() or self.recommendations.strip())

    @property
    def editor_label(self) -> str:
        return PeriodMixin._user_label(self.updated_by) if self.updated_by else "—"
