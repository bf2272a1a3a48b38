"""The bimonthly monitoring report of the PFC (informe de seguimiento bimestral).

Two steps, so a stored report can be drawn again exactly as it was issued:

- `monitoring_snapshot` reads the registers of one period into plain JSON (numbers as strings,
  dates as ISO strings, labels already in Spanish), in a fixed number of queries whatever the
  data size;
- `monitoring_context` turns a snapshot into the print template's context: Spanish numbers and
  dates, and the SVG charts, drawn by the same functions as the plan page.
"""

import contextlib
import copy
import datetime
import gc
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacity_plan import charts, selectors
from capacity_plan.indicators import format_value, indicator_status, indicator_value, load_registers
from capacity_plan.models import Indicator, Milestone, SurveyAspect, TrainingAction
from capacity_plan.periods import Bimester
from core.formats import date_text, month_abbreviation, number_text, percent_text, rating_text

from . import selectors as report_selectors
from .rendering import render_pdf

REPORT_LANGUAGE = "es"  # the ministry's reports are issued in Spanish, whatever the reader's UI language
TEMPLATE_NAME = "reports/print/monitoring.html"
# 2: actions are placed on their current dates; annex rows name the original start, and the
# actions rescheduled out of the period are listed apart (annex_rescheduled_out).
# 3: the narrative ODES wrote for the period, the signature block and the cover's logos.
SCHEMA_VERSION = 3
STATUS_CODES = ("on_track", "at_risk", "off_track", "no_data", "no_target")
# Characters per line of a hito's name beside its bar in the reach chart (wrapped, never cut).
REACH_LABEL_WIDTH = 48


def status_labels() -> dict[str, str]:
    """The indicator statuses in report order (same words as `indicator_status`)."""
    return {
        "on_track": _("En camino"),
        "at_risk": _("En riesgo"),
        "off_track": _("Fuera de ruta"),
        "no_data": _("Sin datos"),
        "no_target": _("Sin meta"),
    }


# --- Snapshot ----------------------------------------------------------------------------------


def monitoring_snapshot(*, plan, period: Bimester) -> dict:
    """Everything the report of `period` shows, as JSON-serialisable data: 16 queries, plus six
    for each bimester of the year up to this one (the indicator trends), whatever the data size.
    The narrative ODES wrote for the period is frozen into it as it is now."""
    with translation.override(REPORT_LANGUAGE):
        # As stored: Decimals → str, dates → ISO strings, lazy translations → str, tuples → lists.
        return json.loads(json.dumps(_snapshot(plan, period), cls=DjangoJSONEncoder))


def _snapshot(plan, period: Bimester) -> dict:
    milestones = list(
        Milestone.objects.filter(component__plan=plan)
        .select_related("component")
        .order_by("component__number", "number")
    )
    indicators = list(
        Indicator.objects.filter(milestone__component__plan=plan).order_by(
            "milestone__component__number", "milestone__number", "order", "pk"
        )
    )
    periods = [each for each in Bimester.of_year(period.year) if each <= period]
    registers = [load_registers(plan=plan, period=each) for each in periods]
    current = registers[-1]
    actions = selectors.action_status_summary(plan=plan, period=period)
    participation = selectors.participation_summary(plan=plan, period=period)
    reach = selectors.reach_by_milestone(plan=plan, until=period.end)

    by_milestone: dict[int, list[dict[str, Any]]] = {milestone.pk: [] for milestone in milestones}
    for indicator in indicators:
        by_milestone[indicator.milestone_id].append(_indicator(indicator, periods, registers))
    components: list[dict[str, Any]] = []
    for milestone in milestones:
        if not components or components[-1]["number"] != milestone.component.number:
            components.append(
                {"number": milestone.component.number, "name": milestone.component.name, "milestones": []}
            )
        components[-1]["milestones"].append(
            _milestone(
                milestone,
                by_milestone[milestone.pk],
                actions["by_milestone"].get(milestone.pk),
                reached_in_period=current.attendance.get(milestone.pk, {}).get("servants", 0),
                reached_to_date=reach.get(milestone.pk, 0),
            )
        )
    for component in components:
        component["actions"] = selectors.action_counts_row(
            "", _sum_counts(milestone["actions"] for milestone in component["milestones"])
        )
        component["indicator_statuses"] = _sum_counts(
            milestone["indicator_statuses"] for milestone in component["milestones"]
        )

    indicator_rows = [row for rows in by_milestone.values() for row in rows]
    statuses = _status_counts(indicator_rows)
    labels = status_labels()
    totals = participation["totals"]
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start,
            "end": period.end,
            "year": period.year,
            "number": period.number,
        },
        "plan": {
            "id": plan.pk,
            "name": plan.name,
            "short_name": plan.short_name,
            "year": plan.year,
            "owner": plan.owner,
        },
        "summary": {
            "actions": actions["totals"],
            "attendance_records": totals["records"],
            "attendance_present": totals["present"],
            "attendance_rate": totals["attendance_rate"],
            "survey_responses": totals["responses"],
            "satisfaction": totals["satisfaction"],
            "servants": current.plan_servants,
            "indicator_count": len(indicator_rows),
            "indicators_by_status": [
                {"code": code, "label": labels[code], "count": statuses[code]} for code in STATUS_CODES
            ],
            "off_track_without_review": sum(
                1 for row in indicator_rows if row["status"]["code"] == "off_track" and not row["review"]
            ),
            "region_count": len(participation["by_region"]),
            "regions_without_participation": participation["regions_without_participation"],
        },
        "components": components,
        "actions": {
            "totals": actions["totals"],
            "by_unit": actions["by_unit"],
            "by_region": actions["by_region"],
            "without_milestone": actions["without_milestone"],
            "rescheduled_out": actions["rescheduled_out"],
        },
        "participation": participation,
        "recordings": selectors.recording_progress(year=plan.year, period=period),
        "annex": _annex(selectors.period_actions(plan=plan, period=period)),
        "annex_rescheduled_out": _annex(selectors.period_actions_rescheduled_out(plan=plan, period=period)),
        **_narrative(plan, period),
    }


def _narrative(plan, period: Bimester) -> dict:
    """The period's narrative (None when ODES wrote none), who signs the report (the narrative's
    signer, else the one configured in settings) and the logos of the cover (the configured
    static files that exist), as they are when the report is generated (one query)."""
    narrative = report_selectors.narrative_get(plan=plan, period=period)
    text = (
        {
            "executive_summary": narrative.executive_summary,
            "analysis": narrative.analysis,
            "recommendations": narrative.recommendations,
            "revision": narrative.revision,
            "written_by": narrative.editor_label,
            "updated_at": narrative.updated_at,
        }
        if narrative is not None and not narrative.is_empty
        else None
    )
    return {
        "narrative": text,
        "signature": {
            "name": (narrative.signer_name if narrative else "") or settings.MONITORING_REPORT_SIGNER_NAME,
            "role": (narrative.signer_role if narrative else "") or settings.MONITORING_REPORT_SIGNER_ROLE,
        },
        "logos": [path for path in settings.MONITORING_REPORT_LOGOS if finders.find(path)],
    }


def _indicator(indicator: Indicator, periods: list[Bimester], registers: list) -> dict:
    values = [indicator_value(indicator, each) for each in registers]
    value = values[-1]
    status = indicator_status(indicator, value)
    review = registers[-1].reviews.get(indicator.pk)
    measurement = registers[-1].measurements.get(indicator.pk)
    return {
        "id": indicator.pk,
        "name": indicator.name,
        "kind": indicator.kind,
        "unit": "%" if indicator.kind == Indicator.Kind.PERCENTAGE else "",
        "source": indicator.source,
        "source_label": indicator.source_description(),
        "scope": indicator.scope,
        "direction": indicator.direction,
        "baseline": indicator.baseline,
        "target": indicator.target,
        "target_text": format_value(indicator, indicator.target),
        "value": value,
        "value_text": format_value(indicator, value),
        "status": {"code": status.code, "label": status.label, "margin": status.margin},
        "measurement_note": measurement.note if measurement else "",
        # The evidence is listed by its file name (the file itself is downloaded from the hito page).
        "measurement_evidence": measurement.evidence_name if measurement and measurement.evidence else "",
        "review": {
            "reason": review.reason,
            "reason_label": review.get_reason_display(),
            "explanation": review.explanation,
            "corrective_action": review.corrective_action,
            "corrective_action_due": review.corrective_action_due,
        }
        if review
        else None,
        "trend": [
            {
                "period": each.code,
                "label": each.label.rsplit(" ", 1)[0],
                "value": trend_value,
                "value_text": format_value(indicator, trend_value),
                "status": indicator_status(indicator, trend_value).code,
            }
            for each, trend_value in zip(periods, values, strict=True)
        ],
    }


def _milestone(
    milestone: Milestone, indicators: list[dict], actions: dict | None, *, reached_in_period: int, reached_to_date: int
) -> dict:
    size = milestone.target_audience_size
    return {
        "id": milestone.pk,
        "number": milestone.number,
        "name": milestone.name,
        "status": milestone.status,
        "status_label": milestone.get_status_display(),
        "planned_start": milestone.planned_start,
        "planned_end": milestone.planned_end,
        "target_audience_size": size,
        "reached_in_period": reached_in_period,
        "reached_to_date": reached_to_date,
        "reach_rate": (Decimal(reached_to_date) * 100 / size).quantize(Decimal("0.1")) if size else None,
        "actions": selectors.action_counts_row("", actions),
        "indicator_statuses": _status_counts(indicators),
        "indicators": indicators,
    }


def _status_counts(indicators: list[dict]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_CODES, 0)
    for row in indicators:
        counts[row["status"]["code"]] += 1
    return counts


def _sum_counts(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    total: dict[str, int] = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, int):
                total[key] = total.get(key, 0) + value
    return total


def _annex(actions) -> list[dict]:
    """Training actions, one compact row each (one query): their current start and, for a
    rescheduled one, the start it was first programmed for and the reason."""
    kinds = {value: str(label) for value, label in TrainingAction.Kind.choices}
    statuses = {value: str(label) for value, label in TrainingAction.Status.choices}
    modalities = {value: str(label) for value, label in TrainingAction.Modality.choices}
    rows = actions.order_by("planned_start", "title", "pk").values(
        "pk",
        "planned_start",
        "title",
        "kind",
        "organisational_unit__acronym",
        "organisational_unit__name",
        "milestone__number",
        "status",
        "modality",
        "hours",
        "is_demo",
        "programmed",
        "original_start",
        "status_reason",
    )
    return [
        {
            "id": row["pk"],
            "planned_start": row["planned_start"],
            "title": row["title"],
            "kind": row["kind"],
            "kind_label": kinds.get(row["kind"], row["kind"]),
            "unit": row["organisational_unit__acronym"],
            "unit_name": row["organisational_unit__name"],
            "milestone": row["milestone__number"],
            "status": row["status"],
            "status_label": statuses.get(row["status"], row["status"]),
            "original_start": row["original_start"] if row["original_start"] != row["planned_start"] else None,
            "reason": row["status_reason"] if row["original_start"] else "",
            "modality_label": modalities.get(row["modality"], row["modality"]),
            "hours": row["hours"],
            "is_demo": row["is_demo"],
            "programmed": row["programmed"],
        }
        for row in rows
    ]


def monitoring_file_name(period: Bimester, number: int) -> str:
    """The PDF's name as it reads in a mail or a folder: «seguimiento-pfc-2025-nov-dic-v1.pdf»."""
    with translation.override(REPORT_LANGUAGE):
        months = "-".join(slugify(month_abbreviation(month)) for month in (2 * period.number - 1, 2 * period.number))
    return f"seguimiento-pfc-{period.year}-{months}-v{number}.pdf"


# --- Template context --------------------------------------------------------------------------


def monitoring_context(snapshot: dict) -> dict:
    """The print template's context for a snapshot: Spanish texts for numbers and dates, and
    the charts as SVG strings (text drawn as paths). The snapshot is not modified. Callers may
    add `version_number` and `generated_at` (a date or datetime) for the cover."""
    with translation.override(REPORT_LANGUAGE):
        return _context(copy.deepcopy(snapshot))


def monitoring_pdf(snapshot: dict, **extra) -> bytes:
    """The report as PDF bytes; `extra` goes into the context (version_number, generated_at)."""
    with translation.override(REPORT_LANGUAGE):
        context = {**monitoring_context(snapshot), **extra}
        with _fewer_garbage_collections():
            return render_pdf(TEMPLATE_NAME, context)


@contextlib.contextmanager
def _fewer_garbage_collections():
    """WeasyPrint builds hundreds of thousands of small objects for a long annex; Python's
    cyclic collector would scan them again and again (a quarter of the rendering time for
    1,200 actions). Collect less often while rendering; memory is still reclaimed."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _moment_text(value) -> str:
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_text(moment.date())


def _counts_text(row: dict) -> dict:
    """Action counts with the execution rate as text."""
    return {**row, "execution_rate_text": percent_text(row.get("execution_rate"))}


def _participation_text(row: dict) -> dict:
    return {
        **row,
        "attendance_rate_text": percent_text(row["attendance_rate"]),
        "satisfaction_text": rating_text(row["satisfaction"]),
    }


def _context(snapshot: dict) -> dict:
    period, plan, summary = snapshot["period"], snapshot["plan"], snapshot["summary"]
    running_title = _("%(plan)s – Seguimiento %(period)s") % {"plan": plan["short_name"], "period": period["label"]}
    actions = snapshot["actions"]
    participation = snapshot["participation"]
    labels = status_labels()

    milestones = []
    without_data: list[dict] = []  # indicators with no value in any bimester so far, nor a review
    without_indicators: list[dict] = []  # hitos the plan gives no indicator
    for component in snapshot["components"]:
        component["actions"] = _counts_text(component["actions"])
        component["status_cells"] = _status_cells(component["indicator_statuses"])
        for milestone in component["milestones"]:
            milestones.append(milestone)
            milestone["actions"] = _counts_text(milestone["actions"])
            milestone["status_cells"] = _status_cells(milestone["indicator_statuses"])
            milestone["reach_rate_text"] = percent_text(milestone["reach_rate"])
            for indicator in milestone["indicators"]:
                # An indicator with no value in any period of the year gets a row of the compact
                # table of indicators without data, not a chart of its own.
                has_values = any(point["value"] is not None for point in indicator["trend"])
                indicator["chart"] = (
                    charts.indicator_trend_svg(
                        name=indicator["name"],
                        periods=[point["label"] for point in indicator["trend"]],
                        values=[_decimal(point["value"]) for point in indicator["trend"]],
                        target=_decimal(indicator["target"]),
                        unit=indicator["unit"],
                        show_title=False,
                        wide=True,
                    )
                    if has_values
                    else ""
                )
                review = indicator["review"]
                if review:
                    review["corrective_action_due_text"] = date_text(review["corrective_action_due"])
                if not has_values and not review:
                    without_data.append({**indicator, "milestone_number": milestone["number"]})
            milestone["reported"] = [
                indicator for indicator in milestone["indicators"] if indicator["chart"] or indicator["review"]
            ]
            milestone["charted"] = [indicator for indicator in milestone["reported"] if indicator["chart"]]
            if not milestone["indicators"]:
                without_indicators.append(milestone)
        component["reported_milestones"] = [milestone for milestone in component["milestones"] if milestone["reported"]]

    by_unit = [_counts_text(row) for row in actions["by_unit"]]
    by_region = [_counts_text(row) for row in actions["by_region"]]
    participation_by_kind = [_participation_text(row) for row in participation["by_kind"]]
    participation_by_region = [_participation_text(row) for row in participation["by_region"]]
    anonymous = participation["anonymous_surveys"]
    recordings = snapshot["recordings"]
    for line in recordings["lines"]:
        line["date_text"] = date_text(line["date"])
    for part in ("until_period_end", "overall"):
        recordings[part]["rate_text"] = percent_text(recordings[part]["rate"])
    # Snapshots stored before actions kept their original dates have no rescheduled-out part,
    # and their rows name the new date (new_date) instead of the original one.
    annex_rescheduled_out = snapshot.get("annex_rescheduled_out", [])
    for row in [*snapshot["annex"], *annex_rescheduled_out]:
        row["planned_start_text"] = date_text(row["planned_start"])
        row["original_start_text"] = date_text(row.get("original_start"))
        row["new_date_text"] = date_text(row.get("new_date"))
        row["hours_text"] = number_text(row["hours"])
        row["demo_mark"] = row["is_demo"] and not row["title"].rstrip().endswith("(demo)")

    totals = actions["totals"]
    moved_out = actions.get("rescheduled_out", 0)
    return {
        "title": _("Informe de seguimiento bimestral – %(plan)s – %(period)s")
        % {"plan": plan["short_name"], "period": period["label"]},
        "running_title": running_title,
        "plan": plan,
        "plan_title": _("Plan de Fortalecimiento de Capacidades %(year)s") % {"year": plan["year"]},
        "office": plan["owner"] or _("Oficina de Descentralización (ODES) – MTPE"),
        "period": {
            **period,
            "start_text": date_text(period["start"]),
            "end_text": date_text(period["end"]),
            "long_label": _period_long_label(period),
        },
        "generated_on": _moment_text(snapshot["generated_at"]),
        "narrative": _narrative_context(snapshot.get("narrative")),
        "signature": {
            "name": (snapshot.get("signature") or {}).get("name", ""),
            "role": (snapshot.get("signature") or {}).get("role", "")
            or plan["owner"]
            or _("Oficina de Descentralización (ODES) – MTPE"),
        },
        "logos": snapshot.get("logos", []),
        "indicators_without_data": without_data,
        "milestones_without_indicators": without_indicators,
        "summary": {
            **summary,
            "actions": _counts_text(summary["actions"]),
            "attendance_rate_text": percent_text(summary["attendance_rate"]),
            "satisfaction_text": rating_text(summary["satisfaction"]),
            "regions_with_participation": summary["region_count"] - len(summary["regions_without_participation"]),
            "status_count": {row["code"]: row["count"] for row in summary["indicators_by_status"]},
        },
        "kpis": [
            {
                "label": _("Acciones programadas"),
                "value": totals["total"],
                "note": _("con inicio programado en el periodo"),
            },
            {
                "label": _("Ejecutadas"),
                "value": totals["executed"],
                "note": _("%(rate)s de las programadas") % {"rate": percent_text(totals["execution_rate"])},
            },
            {
                "label": _("Reprogramadas"),
                "value": totals["rescheduled"],
                "note": ngettext(
                    "y %(count)s del periodo movida a otro", "y %(count)s del periodo movidas a otro", moved_out
                )
                % {"count": moved_out}
                if moved_out
                else "",
            },
            {"label": _("Canceladas"), "value": totals["cancelled"], "note": ""},
            {
                "label": _("Asistencia"),
                "value": percent_text(summary["attendance_rate"]),
                "note": _("%(present)s presentes de %(records)s registros")
                % {"present": summary["attendance_present"], "records": summary["attendance_records"]},
            },
            {
                "label": _("Satisfacción promedio"),
                "value": rating_text(summary["satisfaction"]),
                "note": _("escala de 1 a 5; %(count)s encuestas") % {"count": summary["survey_responses"]},
            },
            {
                "label": _("Servidores alcanzados"),
                "value": summary["servants"],
                "note": _("personas distintas presentes al menos una vez"),
            },
            {
                "label": _("Regiones sin participación"),
                "value": len(summary["regions_without_participation"]),
                "note": _("de %(count)s G/DRTPE") % {"count": summary["region_count"]},
            },
        ],
        "status_columns": [{"code": code, "label": labels[code]} for code in STATUS_CODES],
        "components": snapshot["components"],
        "actions": {
            "totals": _counts_text(totals),
            "by_unit": by_unit,
            "by_region": by_region,
            "without_milestone": _counts_text(actions["without_milestone"]),
            "rescheduled_out": actions.get("rescheduled_out", 0),
        },
        "participation": {
            "totals": _participation_text(participation["totals"]),
            "by_kind": participation_by_kind,
            "by_region": participation_by_region,
            "anonymous_surveys": _participation_text(anonymous) if anonymous else None,
            "regions_without_participation": participation["regions_without_participation"],
        },
        "dimensions": [
            {"label": aspect.label, "value_text": rating_text(participation["totals"]["dimensions"][aspect.value])}
            for aspect in SurveyAspect
        ],
        "recordings": recordings,
        "annex": snapshot["annex"],
        "annex_rescheduled_out": annex_rescheduled_out,
        # The annex's UO column is narrow: the acronyms are named in full below the table.
        "annex_units": sorted({(row["unit"], row["unit_name"]) for row in snapshot["annex"] if row.get("unit_name")}),
        "charts": {
            "reach": charts.reach_svg(
                labels=[
                    _("H%(number)s. %(name)s") % {"number": row["number"], "name": row["name"]} for row in milestones
                ],
                reached=[row["reached_to_date"] for row in milestones],
                targets=[row["target_audience_size"] for row in milestones],
                wrap=REACH_LABEL_WIDTH,
            )
            if milestones
            else "",
            "status_by_unit": charts.actions_by_status_svg(rows=by_unit),
            "status_by_region": charts.actions_by_status_svg(rows=by_region, stacked=True),
            "participation_by_kind": charts.participation_svg(rows=participation_by_kind),
            "participation_by_region": charts.participation_svg(rows=participation_by_region),
        },
    }


def _period_long_label(period: dict) -> str:
    """ "Noviembre–Diciembre 2025": the period as the cover names it."""
    first = formats.date_format(datetime.date(period["year"], 2 * period["number"] - 1, 1), "F")
    second = formats.date_format(datetime.date(period["year"], 2 * period["number"], 1), "F")
    return _("%(first)s–%(second)s %(year)s") % {
        "first": first.capitalize(),
        "second": second.capitalize(),
        "year": period["year"],
    }


def _narrative_context(narrative: dict | None) -> dict | None:
    if not narrative:
        return None
    return {**narrative, "updated_on": _moment_text(narrative["updated_at"]) if narrative.get("updated_at") else ""}


def _status_cells(counts: dict) -> list[dict]:
    """Counts by indicator status in report order (a stored snapshot may not keep key order)."""
    return [{"code": code, "count": counts.get(code, 0)} for code in STATUS_CODES]


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(value)
