"""What the cooperations app notifies, and to whom (explicit calls from services.py, no signals).

Recipients are always the focal points of the institutions concerned and the OEA staff following
the cooperation, each checked against SEE_COOPERATION (notifications.audience). Contexts hold ids
and plain strings only, never an access code.
"""

import datetime
from itertools import groupby

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.audience import cooperation_audience
from notifications.registry import register_collector, register_kind
from notifications.services import notify

from .models import AnswerVersion, Cooperation, Deliverable, DeliverableVersion, Institution, Question, Step

STEP_DUE_7 = register_kind(
    "step-due-7", label=_("Plazo en 7 días"), description=_("Un paso de su institución vence en una semana.")
)
STEP_DUE_1 = register_kind(
    "step-due-1", label=_("Plazo mañana"), description=_("Un paso de su institución vence mañana.")
)
STEP_OVERDUE = register_kind(
    "step-overdue", label=_("Plazo vencido"), description=_("Un paso venció ayer sin marcarse cumplido.")
)
STEP_STILL_OVERDUE = register_kind(
    "step-still-overdue",
    label=_("Plazo aún vencido"),
    description=_("Cada semana, mientras un paso vencido no se marque cumplido."),
)
QUESTIONS_SENT = register_kind(
    "questions-sent", label=_("Preguntas recibidas"), description=_("La otra institución le envió preguntas.")
)
ANSWERS_RECEIVED = register_kind(
    "answers-received",
    label=_("Respuestas recibidas"),
    description=_("Respuestas a sus preguntas (agrupadas por hora)."),
)
DELIVERABLE_VERSION = register_kind(
    "deliverable-version",
    label=_("Nueva versión de un entregable"),
    description=_("Se subió una nueva versión de un entregable de la otra institución."),
)

STEP_KINDS = (STEP_DUE_7.key, STEP_DUE_1.key, STEP_OVERDUE.key, STEP_STILL_OVERDUE.key)


def _cooperation_context(cooperation: Cooperation) -> dict:
    return {"cooperation_id": cooperation.pk, "cooperation": cooperation.short_name}


def step_reminder(step: Step, today: datetime.date) -> tuple[str, str] | None:
    """(kind, key) of the reminder the step is due on `today`, or None.

    7 days before, 1 day before, the day it becomes overdue (the day after the deadline), then
    every 7 days "still overdue". A day the job did not run is caught up the next run (the keys
    name the deadline, so each reminder goes once; a new deadline starts again)."""
    if step.due_date is None or step.done:
        return None
    due = step.due_date
    days_left = (due - today).days
    base = f"step-{step.pk}:{due.isoformat()}"
    if 1 < days_left <= 7:
        return STEP_DUE_7.key, f"{STEP_DUE_7.key}:{base}"
    if 0 <= days_left <= 1:
        return STEP_DUE_1.key, f"{STEP_DUE_1.key}:{base}"
    if days_left < 0:
        weeks = (-days_left - 1) // 7
        if weeks == 0:
            return STEP_OVERDUE.key, f"{STEP_OVERDUE.key}:{base}"
        return STEP_STILL_OVERDUE.key, f"{STEP_STILL_OVERDUE.key}:{base}:w{weeks}"
    return None


@register_collector
def step_deadlines_collect(*, today: datetime.date) -> None:
    """Reminders of the steps with a deadline, not done, of cooperations not closed."""
    steps = (
        Step.objects.filter(done=False, due_date__isnull=False, due_date__lte=today + datetime.timedelta(days=7))
        .exclude(cooperation__status=Cooperation.Status.CLOSED)
        .select_related("cooperation__requesting_institution", "cooperation__providing_institution")
        .prefetch_related(
            Prefetch("responsible_institutions", queryset=Institution.objects.only("pk", "acronym", "name"))
        )
        .order_by("cooperation", "due_date", "pk")
    )
    for step in steps:
        reminder = step_reminder(step, today)
        if reminder is None:
            continue
        kind, key = reminder
        due = step.due_date
        assert due is not None  # step_reminder gives none without a deadline
        cooperation = step.cooperation
        recipients = cooperation_audience(
            cooperation=cooperation,
            institution_ids=[institution.pk for institution in step.responsible_institutions.all()],
            followers=True,
        )
        notify(
            kind=kind,
            key=key,
            recipients=recipients,
            target=step,
            url=reverse("cooperations:detail", args=[cooperation.pk]) + f"#paso-{step.pk}",
            context={
                **_cooperation_context(cooperation),
                "step_id": step.pk,
                "step": step.text[:500],
                "due_date": due.isoformat(),
                "responsible": step.responsible_text,
                "days_overdue": max((today - due).days, 0),
            },
        )


def questions_sent_notify(*, cooperation: Cooperation, questions: list[Question]) -> None:
    """One notification per batch to the focal points of the institution asked."""
    if not questions:
        return
    first = questions[0]
    addressed = first.addressed_to
    notify(
        kind=QUESTIONS_SENT.key,
        key=f"{QUESTIONS_SENT.key}:questions-{first.pk}-{questions[-1].pk}",
        recipients=cooperation_audience(cooperation=cooperation, institution_ids=[addressed.pk]),
        target=first,
        url=reverse("cooperations:detail", args=[cooperation.pk]) + f"#pregunta-{first.pk}",
        context={
            **_cooperation_context(cooperation),
            "asked_by": first.asked_by.short_name,
            "objective": str(first.objective),
            "count": len(questions),
            "questions": [f"{q.number}. {q.text[:300]}" for q in questions[:20]],
            "question_id": first.pk,
        },
    )


def answers_collect(*, now: datetime.datetime | None = None) -> None:
    """Answers of every completed hour of the last day, one notification per cooperation, asking
    institution and hour (the hourly job; a missed hour is caught up, the keys name the hour)."""
    now = now or timezone.now()
    hour_end = now.replace(minute=0, second=0, microsecond=0)
    versions = (
        AnswerVersion.objects.filter(answered_at__gte=hour_end - datetime.timedelta(days=1), answered_at__lt=hour_end)
        .select_related(
            "question__cooperation__requesting_institution",
            "question__cooperation__providing_institution",
            "question__asked_by",
        )
        .order_by("question__cooperation", "question__asked_by", "answered_at")
    )

    def batch(version: AnswerVersion):
        hour = version.answered_at.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)
        return version.question.cooperation_id, version.question.asked_by_id, hour

    for (_cooperation_id, asked_by_id, hour), group in groupby(sorted(versions, key=batch), key=batch):
        answers = list(group)
        cooperation = answers[0].question.cooperation
        questions = list({v.question.pk: v.question for v in answers}.values())
        notify(
            kind=ANSWERS_RECEIVED.key,
            key=f"{ANSWERS_RECEIVED.key}:cooperation-{cooperation.pk}:inst-{asked_by_id}:{hour:%Y-%m-%dT%H}",
            recipients=cooperation_audience(cooperation=cooperation, institution_ids=[asked_by_id]),
            target=cooperation,
            url=reverse("cooperations:detail", args=[cooperation.pk]) + f"#pregunta-{questions[0].pk}",
            context={
                **_cooperation_context(cooperation),
                "count": len(questions),
                "questions": [f"{q.number}. {q.text[:300]}" for q in questions[:20]],
            },
        )


def deliverable_version_notify(*, version: DeliverableVersion) -> None:
    """The other institution and the OEA followers: name, version number, who, link."""
    deliverable: Deliverable = version.deliverable
    cooperation = deliverable.cooperation
    parties = [cooperation.requesting_institution_id, cooperation.providing_institution_id]
    others = [pk for pk in parties if pk != deliverable.institution_id] or parties
    recipients = [
        user
        for user in cooperation_audience(cooperation=cooperation, institution_ids=others, followers=True)
        if user.pk != version.uploaded_by_id
    ]
    notify(
        kind=DELIVERABLE_VERSION.key,
        key=f"{DELIVERABLE_VERSION.key}:version-{version.pk}",
        recipients=recipients,
        target=deliverable,
        url=reverse("cooperations:detail", args=[cooperation.pk]) + f"#entregable-{deliverable.pk}",
        context={
            **_cooperation_context(cooperation),
            "deliverable": deliverable.title,
            "number": version.number,
            "by": version.uploaded_by.get_full_name() or version.uploaded_by.username,
            "institution": deliverable.institution.short_name,
        },
    )


# Sessions and recordings (invitations with their .ics, reminders): their own module.
from . import session_notifications  # noqa: E402, F401
