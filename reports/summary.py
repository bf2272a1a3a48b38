"""The cooperation summary: the living document of a cooperation, as the seed documents read.

`summary_snapshot` freezes the record into plain data (stored with each version, so a version
can always be re-read and compared); `summary_context` turns a snapshot into what the print
template shows; `summary_changes` lists what changed between two snapshots. Recording access
codes are never part of a snapshot, so they cannot reach a PDF.
"""

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from cooperations.models import Cooperation
from cooperations.models.cooperation import recording_state, times_in_zone
from cooperations.selectors import cooperation_record
from core.formats import date_text, day_month_text, names_text, time_text, weekday_date_text

from .selectors import comments_to_list

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
            # Resolved since the previous version (publishing marks them listed in this one).
            "resolved_comments": [
                {
                    "id": comment.pk,
                    "version": comment.version.number,
                    "section": comment.section,
                    "section_label": str(comment.get_section_display()),
                    "institution": comment.institution_label,
                    "author": comment.author_label,
                    "text": comment.text,
                    "created_at": _iso(comment.created_at),
                    "resolution": comment.resolution,
                    "resolved_by": comment.resolver_label,
                    "resolved_at": _iso(comment.resolved_at),
                }
                for comment in comments_to_list(cooperation_id=cooperation.pk)
            ],
        }


# --- Rendering ---------------------------------------------------------------------------------


def version_line(*, number: int | None, label: str, is_final: bool, day: datetime.date, fallback: str = "") -> str:
    """ "Versión 2: 21 de julio de 2024 – abierta a comentarios", "Versión final (n.º 4): 28 de
    febrero de 2023", or the record's own label for a draft rendered without a version."""
    if number is None:
        return fallback or _("Borrador: %(day)s") % {"day": date_text(day)}
    if is_final:
        return _("Versión final (n.º %(number)s): %(day)s") % {"number": number, "day": date_text(day)}
    text = _("Versión %(number)s: %(day)s") % {"number": number, "day": date_text(day)}
    return f"{text} – {label}" if label else text


def summary_logos() -> list[dict]:
    """The logos of the summary's first page (settings.SUMMARY_LOGOS), those whose file exists
    under static/: [{"alt": "RIAL", "url": "/static/img/logo-rial.svg"}, …]."""
    return [{"alt": alt, "url": static(path)} for alt, path in settings.SUMMARY_LOGOS.items() if finders.find(path)]


def _session_view(session: dict, countries: list[dict], generated_at: datetime.datetime) -> dict:
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
        # As on the day the document is generated, in the organiser's zone.
        "recording_state": recording_state(
            until, generated_at.astimezone(zoneinfo.ZoneInfo(session.get("time_zone") or "America/Lima")).date()
        ),
    }


def summary_context(
    snapshot: dict,
    *,
    number: int | None = None,
    label: str = "",
    is_final: bool = False,
    generated_at: datetime.datetime | None = None,
    previous: dict | None = None,
    previous_number: int | None = None,
) -> dict:
    """What the print template shows; with the previous version's snapshot (and number), what
    changed since it and the comments resolved meanwhile."""
    generated_at = timezone.localtime(generated_at or timezone.now())
    cooperation = snapshot["cooperation"]
    sessions = [_session_view(session, cooperation["countries"], generated_at) for session in snapshot["sessions"]]
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
        "logos": summary_logos(),
        "number": number,
        "generated_at": generated_at,
        "previous_number": previous_number,
        "changes": summary_changes(previous, snapshot) if previous is not None else None,
        "resolved_comments": snapshot.get("resolved_comments", []),
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


def _value_text(value) -> str:
    """A stored value as the version page shows it: "—" for nothing, "sí"/"no", lists joined."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("sí") if value else _("no")
    if isinstance(value, list):
        return "; ".join(_value_text(item) for item in value)
    return str(value)


def _date_value(value, item: dict, snapshot: dict) -> str:
    return date_text(value) or "—"


def _moment_value(value, item: dict, snapshot: dict) -> str:
    """A session's start or end in the session's own time zone: "17 de mayo de 2022, 09:00"."""
    moment = parse_datetime(value) if value else None
    if moment is None:
        return "—"
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(item.get("time_zone") or "UTC"))
    return f"{date_text(local.date())}, {time_text(local)}"


def _session_value(value, item: dict, snapshot: dict) -> str:
    titles = {session["id"]: session["title"] for session in snapshot["sessions"]}
    return titles.get(value, _("antes de la primera sesión")) if value else _("antes de la primera sesión")


def _plain_value(value, item: dict, snapshot: dict) -> str:
    return _value_text(value)


@dataclass(frozen=True)
class Section:
    """One part of the summary compared between versions: its items by id, how one item is
    named, and the fields compared (field -> its name, and how its value reads)."""

    title: Callable[[], str]
    items: Callable[[dict], dict]
    label: Callable[[dict], str]
    fields: Callable[[], dict[str, tuple[str, Callable]]]


def _cooperation_items(snapshot: dict) -> dict:
    return {"cooperation": snapshot["cooperation"]}


P, D, M = _plain_value, _date_value, _moment_value

SECTIONS = (
    Section(
        lambda: _("Datos de la cooperación"),
        _cooperation_items,
        lambda x: x["short_name"],
        lambda: {
            "title": (_("título"), P),
            "short_name": (_("nombre corto"), P),
            "topic": (_("tema"), P),
            "call": (_("convocatoria"), P),
            "modality": (_("modalidad"), P),
            "status": (_("estado"), P),
            "website": (_("sitio web"), P),
            "description": (_("descripción"), P),
            "general_objective": (_("objetivo general"), P),
            "product_description": (_("producto"), P),
            "requesting_institution": (_("institución solicitante"), P),
            "providing_institution": (_("institución oferente"), P),
        },
    ),
    Section(
        lambda: _("Objetivos específicos"),
        lambda s: {x["id"]: x for x in s.get("objectives", [])},
        lambda x: x["text"][:90],
        lambda: {"text": (_("texto"), P), "order": (_("orden"), P)},
    ),
    Section(
        lambda: _("Metodología"),
        lambda s: {x["id"]: x for x in s.get("methodology", [])},
        lambda x: x["title"],
        lambda: {"title": (_("título"), P), "text": (_("texto"), P), "order": (_("orden"), P)},
    ),
    Section(
        lambda: _("Sesiones"),
        lambda s: {x["id"]: x for x in s["sessions"]},
        lambda x: x["title"],
        lambda: {
            "title": (_("título"), P),
            "date": (_("fecha"), D),
            "starts_at": (_("hora"), M),
            "ends_at": (_("hora de fin"), M),
            "date_label": (_("fecha por definir"), P),
            "status_label": (_("estado"), P),
            "platform": (_("plataforma"), P),
            "planned_contents": (_("contenidos"), P),
            "summary": (_("resumen"), P),
            "recording_url": (_("grabación"), P),
            "recording_available_until": (_("disponibilidad de la grabación"), D),
        },
    ),
    Section(
        lambda: _("Pasos y plazos"),
        lambda s: {x["id"]: x for x in s["steps"]},
        lambda x: x["text"][:90],
        lambda: {
            "text": (_("texto"), P),
            "responsible": (_("responsable"), P),
            "due_date": (_("plazo"), D),
            "done": (_("cumplido"), P),
            "after_session": (_("sesión"), _session_value),
        },
    ),
    Section(
        lambda: _("Preguntas"),
        _questions,
        lambda x: f"{x['number']}. {x['text'][:90]}",
        lambda: {
            "text": (_("texto"), P),
            "sub_items": (_("subpreguntas"), P),
            "status": (_("estado"), P),
            "written_answer": (_("respuesta escrita"), P),
            "answered_in_session": (_("respondida en"), P),
            "attachment_name": (_("adjunto"), P),
            "objective": (_("objetivo"), P),
        },
    ),
    Section(
        lambda: _("Participantes"),
        _participants,
        lambda x: x["name"],
        lambda: {
            "name": (_("nombre"), P),
            "position": (_("cargo"), P),
            "institution": (_("institución"), P),
            "delegation": (_("delegación"), P),
            "note": (_("nota"), P),
        },
    ),
)


def summary_changes(old: dict | None, new: dict) -> list[dict]:
    """Per section: items added, changed and removed since the previous version. A changed item
    names the fields that changed (`fields`) and gives each one's old and new value as the page
    reads them (`values`: field, old, new). Sections with no change are left out. Both versions'
    snapshots hold every value compared, so nothing else is stored for this."""
    result = []
    for section in SECTIONS:
        before, after = (section.items(old) if old else {}), section.items(new)
        fields = section.fields()
        added = [section.label(after[key]) for key in after if key not in before]
        removed = [section.label(before[key]) for key in before if key not in after]
        changed = []
        for key in after:
            if key not in before:
                continue
            values = [
                {
                    "field": name,
                    "old": show(before[key].get(field), before[key], old),
                    "new": show(after[key].get(field), after[key], new),
                }
                for field, (name, show) in fields.items()
                if before[key].get(field) != after[key].get(field)
            ]
            if values:
                changed.append(
                    {"label": section.label(after[key]), "fields": [v["field"] for v in values], "values": values}
                )
        if added or removed or changed:
            result.append({"title": section.title(), "added": added, "changed": changed, "removed": removed})
    return result
