"""The change history of one cooperation record, across the record and its parts.

Reads django-simple-history's tables: one query per tracked model plus one per related model
whose names are shown, whatever the number of changes.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import localtime_or_utc
from core.formats import date_text, datetime_text, shortened

from .models import (
    Cooperation,
    Deliverable,
    MethodologyStep,
    Participation,
    Question,
    Session,
    SpecificObjective,
    Step,
)

TRACKED_PARTS = (SpecificObjective, MethodologyStep, Session, Step, Participation, Question, Deliverable)
# The parts saved with the cooperation's own revision (cooperation_save, step_mark_done): a
# conflict on the record is about these. Sessions and questions carry revisions of their own.
RECORD_PARTS = (SpecificObjective, MethodologyStep, Step, Participation)
SECRET_FIELDS = {"recording_access_code"}
IGNORED_FIELDS = {"revision", "updated_at", "created_at", "answer_attachment_name", "invitation_sequence"}
ACTIONS = {"+": _("creó"), "~": _("modificó"), "-": _("eliminó")}
HIDDEN = _("(oculto)")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    kind: str
    subject: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(value, model_field, related_names) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(model_field, models.ForeignKey):
        return related_names.get((model_field.related_model, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    if isinstance(value, datetime.datetime):
        return datetime_text(localtime_or_utc(value))
    if isinstance(value, datetime.date):
        return date_text(value)
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def cooperation_history(
    *,
    cooperation: Cooperation,
    show_secrets: bool,
    since: datetime.datetime | None = None,
    models_shown=(Cooperation, *TRACKED_PARTS),
    object_pk: int | None = None,
) -> list[HistoryEntry]:
    """Entries newest first. With `since`, only the changes saved at or after that moment; with
    `models_shown`, only the changes to those of the record's models; with `object_pk`, only the
    changes to that one object of them."""
    rows_by_model = []
    for model in models_shown:
        history = model.history.model.objects.order_by("history_date", "history_id")
        history = (
            history.filter(id=cooperation.pk) if model is Cooperation else history.filter(cooperation_id=cooperation.pk)
        )
        if object_pk is not None:
            history = history.filter(id=object_pk)
        rows_by_model.append((model, list(history)))

    related_ids: dict[type[models.Model], set] = {}
    for model, rows in rows_by_model:
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.ForeignKey) and model_field.name != "cooperation":
                ids = {getattr(row, model_field.attname) for row in rows} - {None}
                related_ids.setdefault(model_field.related_model, set()).update(ids)
    user_ids = {row.history_user_id for _model, rows in rows_by_model for row in rows} - {None}
    related_ids.setdefault(get_user_model(), set()).update(user_ids)
    related_names = {}
    for related_model, ids in related_ids.items():
        for pk, obj in related_model._default_manager.in_bulk(ids).items():
            related_names[(related_model, pk)] = str(obj)

    entries = []
    for model, rows in rows_by_model:
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in IGNORED_FIELDS and f.name != "id" and f.name != "cooperation"
        ]
        previous_by_object: dict[int, models.Model] = {}
        for row in rows:
            previous = previous_by_object.get(row.id)
            previous_by_object[row.id] = row
            if since is not None and row.history_date < since:
                continue
            changes = []
            if row.history_type == "~" and previous is not None:
                for model_field in fields:
                    old, new = getattr(previous, model_field.attname), getattr(row, model_field.attname)
                    if old != new:
                        secret = model_field.name in SECRET_FIELDS and not show_secrets
                        changes.append(
                            FieldChange(
                                label=str(model_field.verbose_name).capitalize(),
                                old=str(HIDDEN) if secret else _display(old, model_field, related_names),
                                new=str(HIDDEN) if secret else _display(new, model_field, related_names),
                            )
                        )
                if not changes:
                    continue
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=related_names.get((get_user_model(), row.history_user_id), "—"),
                    action=str(ACTIONS[row.history_type]),
                    kind=str(model._meta.verbose_name),
                    subject=_subject(model, row, related_names),
                    changes=changes,
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _subject(model, row, related_names) -> str:
    if model is Cooperation:
        return row.short_name
    if model is Session:
        return row.title or str(dict(Session.Kind.choices).get(row.kind, row.kind))
    if model is Participation:
        return related_names.get((Participation._meta.get_field("person").related_model, row.person_id), "")
    if model is Question:
        return f"{row.number}. {shortened(row.text, 60)}"
    text = getattr(row, "title", "") or getattr(row, "text", "")
    return shortened(text)


def revision_superseded_at(*, instance: Cooperation | Session | Question, revision: int) -> datetime.datetime | None:
    """When the revision after `revision` of a cooperation, session or question was saved: the
    moment the page the user opened at `revision` became stale. Every change saved from then on
    (the record's next revisions and the parts saved with them, which are written after the
    record in the same transaction) is what others changed since the user opened the page;
    changes saved before, even moments before the user opened it, are not. None when no later
    revision exists."""
    return (
        type(instance)
        .history.model.objects.filter(id=instance.pk, revision__gt=revision)
        .order_by("history_date", "history_id")
        .values_list("history_date", flat=True)
        .first()
    )


def opened_rows(*, model: type[models.Model], ids: list[int], until: datetime.datetime) -> dict[int, Any]:
    """The rows as the user saw them when they opened a page that became stale `until` (the
    latest history row of each saved before that moment), by id; rows that did not exist then
    (or were deleted) are missing. Their foreign keys are loaded, a query per relation."""
    tracked: Any = model  # a model with django-simple-history's `history`
    history = tracked.history.model.objects.filter(id__in=ids, history_date__lt=until).order_by(
        "id", "-history_date", "-history_id"
    )
    latest: dict[int, Any] = {}
    for row in history:
        if row.id not in latest:
            latest[row.id] = row
    rows = {pk: row.instance for pk, row in latest.items() if row.history_type != "-"}
    relations = [
        f.name for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey) and f.name != "cooperation"
    ]
    if rows and relations:
        models.prefetch_related_objects(list(rows.values()), *relations)
    return rows
