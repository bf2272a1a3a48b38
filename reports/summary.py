"""The cooperation summary: the living document of a cooperation, as the seed documents read.

`summary_snapshot` freezes the record into plain data (stored with each version, so a version
can always be re-read and compared); `summary_context` turns a snapshot into what the print
template shows; `summary_changes` lists what changed between two snapshots. Recording access
codes are never part of a snapshot, so they cannot reach a PDF.
"""

import datetime
import zoneinfo

from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cooperations.models import Cooperation
from cooperations.models.cooperation import times_in_zone
from cooperations.selectors import cooperation_record
from core.formats import date_text, day_month_text, names_text, weekday_date_text

SNAPSHOT_SCHEMA = 1


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def summary_snapshot(cooperation: Cooperation) -> dict:
    """Everything the summary shows, as JSON-ready data (labels in Spanish)."""
    with translation.override("es"):
        record = cooperation_record(cooperation=cooperation)
        countries = cooperation.countries
        steps = [step for row in record.sessions for step in row["steps"]] + record.steps_before_sessions
        return {
            "schema": SNAPSHOT_SCHEMA,
            "cooperation": {
                "id": cooperation.pk,
                "title": cooperation.title,
                "short_name": cooperation.short_name,
                "topic": cooperation.topic,
                "call": str(cooperation.call),
                "modality": str(cooperation.get_modality_display()),
                "status": str(cooperation.get_status_display()),
                "website": cooperation.website,
                "description": cooperation.description,
                "general_objective": cooperation.general_objective,
                "product_description": cooperation.product_description,
                "version_label": cooperation.version_label,
                "requesting_institution": cooperation.requesting_institution.name,
                "providing_institution": cooperation.providing_institution.name,
                "countries": [{"name": country.name, "zone": country.time_zone} for country in countries],
            },
            "objectives": [
                {"id": o.pk, "order": o.order, "text": o.text, "label": o.short_label} for o in record.objectives
            ],
            "methodology": [
                {"id": m.pk, "order": m.order, "title": m.title, "text": m.text} for m in record.methodology
            ],
            "sessions": [
                {
                    "id": row["session"].pk,
                    "order": row["session"].order,
                    "title": row["session"].display_title,
                    "kind": row["session"].kind,
                    "status": row["session"].status,
                    "status_label": str(row["session"].get_status_display()),
                    "time_zone": row["session"].time_zone,
                    "date": _iso(row["session"].local_date),
                    "starts_at": _iso(row["session"].starts_at),
                    "ends_at": _iso(row["session"].ends_at),
                    "date_label": row["session"].date_label,
                    "platform": row["session"].platform,
                    "planned_contents": row["session"].planned_contents,
                    "summary": row["session"].summary,
                    "recording_url": row["session"].recording_url,
                    "recording_available_until": _iso(row["session"].recording_available_until),
                }
                for row in record.sessions
            ],
            "steps": [
                {
                    "id": step.pk,
                    "order": step.order,
                    "after_session": step.after_session_id,
                    "text": step.text,
                    "responsible": names_text(
                        [institution.name for institution in step.responsible_institutions.all()]
                    ),
                    "due_date": _iso(step.due_date),
                    "done": step.done,
                }
                for step in steps
            ],
            "delegations": [
                {
                    "name": group.name,
                    "institutions": [
                        {
                            "name": institution,
                            "people": [
                                {"id": p.pk, "name": p.person.full_name, "position": p.position, "note": p.note}
                                for p in people
                            ],
                        }
                        for institution, people in group.institutions.items()
                    ],
                }
                for group in record.delegations
            ],
            "question_groups": [
                {
                    "objective": {
                        "id": group.objective.pk,
                        "order": group.objective.order,
                        "label": group.objective.short_label or group.objective.text,
                    },
                    "questions": [
                        {
                            "id": q.pk,
                            "number": q.number,
                            "text": q.text,
                            "sub_items": q.sub_item_list,
                            "asked_by": q.asked_by.name,
                            "status": str(q.get_status_display()),
                            "written_answer": q.written_answer,
                            "answered_in_session": q.answered_in_session.display_title if q.answered_in_session else "",
                            "attachment_name": q.answer_attachment_name,
                        }
                        for q in group.questions
                    ],
                }
                for group in record.question_groups
            ],
        }


# --- Rendering ---------------------------------------------------------------------------------


def version_line(*, number: int | None, label: str, is_final: bool, day: datetime.date, fallback: str = "") -> str:
    """ "Versión 2: 21 de julio – abierta a comentarios", "Versión final: 28 de febrero", or the
    record's own label for a draft rendered without a version."""
    if number is None:
        return fallback or _("Borrador: %(day)s") % {"day": day_month_text(day)}
    if is_final:
        return _("Versión final (n.º %(number)s): %(day)s") % {"number": number, "day": day_month_text(day)}
    text = _("Versión %(number)s: %(day)s") % {"number": number, "day": day_month_text(day)}
    return f"{text} – {label}" if label else text


def _session_view(session: dict, countries: list[dict]) -> dict:
    starts_at = parse_datetime(session["starts_at"]) if session["starts_at"] else None
    ends_at = parse_datetime(session["ends_at"]) if session["ends_at"] else None
    day = parse_date(session["date"]) if session["date"] else None
    times = (
        [
            {
                "country": country["name"],
                "zone": country["zone"],
                **times_in_zone(starts_at, ends_at, zoneinfo.ZoneInfo(country["zone"])),
            }
            for country in countries
        ]
        if starts_at
        else []
    )
    until = parse_date(session["recording_available_until"]) if session["recording_available_until"] else None
    return {
        **session,
        "date_text": weekday_date_text(day) if day else "",
        "times": times,
        "short_date": day_month_text(day) if day else session["date_label"],
        "recording_until_text": date_text(until),
    }


def summary_context(
    snapshot: dict,
    *,
    number: int | None = None,
    label: str = "",
    is_final: bool = False,
    generated_at: datetime.datetime | None = None,
) -> dict:
    generated_at = timezone.localtime(generated_at or timezone.now())
    cooperation = snapshot["cooperation"]
    sessions = [_session_view(session, cooperation["countries"]) for session in snapshot["sessions"]]
    steps_by_session: dict = {}
    for step in snapshot["steps"]:
        due = parse_date(step["due_date"]) if step["due_date"] else None
        steps_by_session.setdefault(step["after_session"], []).append({**step, "due_text": date_text(due)})
    for session in sessions:
        session["steps"] = steps_by_session.get(session["id"], [])
    return {
        "snapshot": snapshot,
        "cooperation": cooperation,
        "sessions": sessions,
        "steps_before_sessions": steps_by_session.get(None, []),
        "version_line": version_line(
            number=number,
            label=label,
            is_final=is_final,
            day=generated_at.date(),
            fallback=cooperation["version_label"],
        ),
        "number": number,
        "generated_at": generated_at,
    }


def summary_pdf(snapshot: dict, **version) -> bytes:
    from .rendering import render_pdf

    with translation.override("es"):
        return render_pdf("reports/print/summary.html", summary_context(snapshot, **version))


# --- Changes between versions ------------------------------------------------------------------


def _participants(snapshot: dict) -> dict:
    return {
        person["id"]: {**person, "delegation": group["name"], "institution": institution["name"]}
        for group in snapshot["delegations"]
        for institution in group["institutions"]
        for person in institution["people"]
    }


def _questions(snapshot: dict) -> dict:
    return {
        q["id"]: {**q, "objective": group["objective"]["label"]}
        for group in snapshot["question_groups"]
        for q in group["questions"]
    }


SECTIONS = (
    # (title, items by id, label of one item, fields compared with their names)
    (
        lambda: _("Sesiones"),
        lambda s: {x["id"]: x for x in s["sessions"]},
        lambda x: x["title"],
        lambda: {
            "title": _("título"),
            "date": _("fecha"),
            "starts_at": _("hora"),
            "ends_at": _("hora de fin"),
            "date_label": _("fecha por definir"),
            "status": _("estado"),
            "platform": _("plataforma"),
            "planned_contents": _("contenidos"),
            "summary": _("resumen"),
            "recording_url": _("grabación"),
            "recording_available_until": _("disponibilidad de la grabación"),
        },
    ),
    (
        lambda: _("Pasos y plazos"),
        lambda s: {x["id"]: x for x in s["steps"]},
        lambda x: x["text"][:90],
        lambda: {
            "text": _("texto"),
            "responsible": _("responsable"),
            "due_date": _("plazo"),
            "done": _("cumplido"),
            "after_session": _("sesión"),
        },
    ),
    (
        lambda: _("Preguntas"),
        _questions,
        lambda x: f"{x['number']}. {x['text'][:90]}",
        lambda: {
            "text": _("texto"),
            "sub_items": _("subpreguntas"),
            "status": _("estado"),
            "written_answer": _("respuesta escrita"),
            "answered_in_session": _("respondida en"),
            "attachment_name": _("adjunto"),
            "objective": _("objetivo"),
        },
    ),
    (
        lambda: _("Participantes"),
        _participants,
        lambda x: x["name"],
        lambda: {
            "name": _("nombre"),
            "position": _("cargo"),
            "institution": _("institución"),
            "delegation": _("delegación"),
            "note": _("nota"),
        },
    ),
)


def summary_changes(old: dict | None, new: dict) -> list[dict]:
    """Per section: items added, changed (with the names of the fields that changed) and
    removed since the previous version. Sections with no change are left out."""
    result = []
    for title, items_of, label_of, fields_of in SECTIONS:
        before, after = (items_of(old) if old else {}), items_of(new)
        fields = fields_of()
        added = [label_of(after[key]) for key in after if key not in before]
        removed = [label_of(before[key]) for key in before if key not in after]
        changed = []
        for key in after:
            if key in before:
                names = [name for field, name in fields.items() if before[key].get(field) != after[key].get(field)]
                if names:
                    changed.append({"label": label_of(after[key]), "fields": names})
        if added or removed or changed:
            result.append({"title": title(), "added": added, "changed": changed, "removed": removed})
    return result
