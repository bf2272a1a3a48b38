from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.formats import shortened
from core.models import ImmutableRow
from core.validators import DOCUMENT_TEXT, MEDIUM_TEXT, plausible_date, plausible_datetime, text_limit
from rial_site.uploads import upload_path

from .cooperation import Cooperation, Session, SpecificObjective
from .reference import Institution


class Question(models.Model):
    """A written question from the requesting institution, kept under one specific objective."""

    class Status(models.TextChoices):
        SENT = "sent", _("Enviada")
        ANSWERED = "answered", _("Respondida")

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="questions")
    objective = models.ForeignKey(
        SpecificObjective, verbose_name=_("objetivo específico"), on_delete=models.PROTECT, related_name="questions"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("pregunta"), max_length=MEDIUM_TEXT, validators=[text_limit(MEDIUM_TEXT)])
    sub_items = models.TextField(
        _("subpreguntas"),
        max_length=MEDIUM_TEXT,
        validators=[text_limit(MEDIUM_TEXT)],
        blank=True,
        help_text=_("Una por línea."),
    )
    asked_by = models.ForeignKey(
        Institution, verbose_name=_("formulada por"), on_delete=models.PROTECT, related_name="questions_asked"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrada por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_on = models.DateField(_("enviada el"), null=True, blank=True, validators=[plausible_date])
    answered_in_session = models.ForeignKey(
        Session,
        verbose_name=_("respondida en la sesión"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_questions",
    )
    written_answer = models.TextField(
        _("respuesta escrita"), max_length=DOCUMENT_TEXT, validators=[text_limit(DOCUMENT_TEXT)], blank=True
    )
    answer_attachment = models.FileField(
        _("adjunto de la respuesta"), upload_to=upload_path, blank=True, max_length=300
    )
    answer_attachment_name = models.CharField(max_length=255, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondida por"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("respondida el"), null=True, blank=True, validators=[plausible_datetime])
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.SENT)
    # Each saved answer is a new revision (and an AnswerVersion): a stale answer page is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    # Set by the detail page for its template (not a column).
    can_answer: bool

    class Meta:
        ordering = ["cooperation", "objective__order", "number"]
        verbose_name = _("pregunta")
        verbose_name_plural = _("preguntas")
        constraints = [
            models.UniqueConstraint(fields=["objective", "number"], name="question_number_unique_per_objective"),
        ]

    def __str__(self):
        return f"{self.number}. {shortened(self.text)}"

    @property
    def sub_item_list(self) -> list[str]:
        return [line for line in self.sub_items.splitlines() if line.strip()]

    @property
    def addressed_to(self) -> Institution:
        """The other institution of the cooperation answers."""
        cooperation = self.cooperation
        if self.asked_by_id == cooperation.providing_institution_id:
            return cooperation.requesting_institution
        return cooperation.providing_institution


class AnswerVersion(ImmutableRow, models.Model):
    """One saved answer to a question, its text and attachment as they were then. Never changed or
    deleted once stored; the question shows the latest (its written_answer and answer_attachment)."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answer_versions")
    number = models.PositiveIntegerField(_("versión"))
    text = models.TextField(
        _("respuesta escrita"), max_length=DOCUMENT_TEXT, validators=[text_limit(DOCUMENT_TEXT)], blank=True
    )
    attachment = models.FileField(_("adjunto"), upload_to=upload_path, blank=True, max_length=300)
    attachment_name = models.CharField(_("nombre del adjunto"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondida por"),
        on_delete=models.PROTECT,
        null=True,  # an answer kept from before versions, whose author is unknown
        related_name="+",
    )
    answered_at = models.DateTimeField(_("respondida el"))

    class Meta:
        ordering = ["question", "-number"]
        verbose_name = _("versión de respuesta")
        verbose_name_plural = _("versiones de respuestas")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="answer_version_unique")]

    def __str__(self):
        return f"{self.question} v{self.number}"
