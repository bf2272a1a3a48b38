"""The ranking as people read it, on its page and in its PDF: the rows with Spanish numbers,
the method in words (so anyone can recompute it) and the seed's note on the indicator count."""

import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.formats import date_text, number_text, percent_text
from reports.rendering import render_pdf

from .models import Dimension, Level, MissingData
from .scoring import STATED_EMPLOYMENT_INDICATORS, STATED_INDICATORS, STATED_LABOUR_INDICATORS

REPORT_LANGUAGE = "es"
TEMPLATE_NAME = "ranking/print/ranking.html"


def dimension_notes() -> list[dict[str, str]]:
    """The three dimensions as the seed defines them, with what each value measures."""
    return [
        {
            "code": Dimension.GOALS.value,
            "label": str(Dimension.GOALS.label),
            "group": _("Metas físicas"),
            "text": _(
                "Porcentaje de cumplimiento de las metas programadas en los Convenios de Gestión 2024–2026, "
                "medido con sus %(count)s indicadores de gestión."
            )
            % {"count": STATED_INDICATORS},
        },
        {
            "code": Dimension.ADDITIONAL.value,
            "label": str(Dimension.ADDITIONAL.label),
            "group": _("Metas físicas"),
            "text": _(
                "Esfuerzo adicional para lograr metas más allá de las programadas en los Convenios de Gestión "
                "2024–2026, expresado de 0 a 100."
            ),
        },
        {
            "code": Dimension.FINANCIAL.value,
            "label": str(Dimension.FINANCIAL.label),
            "group": _("Metas financieras"),
            "text": _(
                "Porcentaje de ejecución de los recursos transferidos por SUNAFIL para los servicios de los "
                "Programas Presupuestales 103 y 116."
            ),
        },
    ]


def indicator_count_note() -> str:
    """The seed states 14 indicators and splits them into 9 + 4 = 13: both figures are kept."""
    return _(
        "El documento del PFC indica %(total)s indicadores de gestión y los desglosa en %(employment)02d de "
        "empleo y %(labour)02d de trabajo, que suman %(sum)s; se conservan ambas cifras tal como están escritas."
    ) % {
        "total": STATED_INDICATORS,
        "employment": STATED_EMPLOYMENT_INDICATORS,
        "labour": STATED_LABOUR_INDICATORS,
        "sum": STATED_EMPLOYMENT_INDICATORS + STATED_LABOUR_INDICATORS,
    }


def method_lines(method: dict[str, Any]) -> list[str]:
    """The method in words, enough to recompute every score and level by hand."""
    weights, thresholds = method["weights"], method["thresholds"]
    labels = dict(Dimension.choices)
    lines = [
        _("Puntaje = suma de cada valor (0–100) por el peso de su dimensión, dividida entre 100.")
        + " "
        + "; ".join(
            _("%(dimension)s: %(weight)s") % {"dimension": labels[code], "weight": percent_text(weights[code], 2)}
            for code in weights
        )
        + ".",
        _(
            "Nivel alto: puntaje de %(high)s o más; nivel medio: de %(medium)s a menos de %(high)s; nivel bajo: "
            "menos de %(medium)s. El puntaje se redondea a dos decimales antes de compararlo."
        )
        % {"high": number_text(thresholds[Level.HIGH], 2), "medium": number_text(thresholds[Level.MEDIUM], 2)},
    ]
    if method["missing"] == MissingData.REWEIGHT:
        lines.append(
            _(
                "Un valor que falta no cuenta: el puntaje es la suma de los valores presentes por su peso, "
                "dividida entre la suma de esos pesos. Una región sin ningún valor no recibe nivel."
            )
        )
    else:
        lines.append(_("Un valor que falta cuenta como 0. Una región sin ningún valor no recibe puntaje ni nivel."))
    return lines


def row_texts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "goals_text": percent_text(row.get("goals"), 2),
            "additional_text": percent_text(row.get("additional"), 2),
            "financial_text": percent_text(row.get("financial"), 2),
            "score_text": number_text(row.get("score"), 2, fixed=True),
        }
        for row in rows
    ]


def level_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"code": code, "label": label, "count": sum(1 for row in rows if row["level"] == code)}
        for code, label in Level.choices
    ]


def ranking_context(snapshot: dict[str, Any]) -> dict[str, Any]:
    rows = row_texts(snapshot["rows"])
    return {
        "title": snapshot["ranking"]["title"],
        "rows": rows,
        "levels": level_counts(rows),
        "method_lines": method_lines(snapshot["method"]),
        "dimensions": dimension_notes(),
        "indicator_note": indicator_count_note(),
    }


def ranking_pdf(snapshot: dict[str, Any], *, number: int, created_at: datetime.datetime) -> bytes:
    with translation.override(REPORT_LANGUAGE):
        context = {
            **ranking_context(snapshot),
            "number": number,
            "created_on": date_text(timezone.localtime(created_at).date()),
        }
        return render_pdf(TEMPLATE_NAME, context)


def ranking_file_name(ranking, number: int) -> str:
    """«ranking-regional-2025-s1-v1.pdf»."""
    return f"{ranking.file_slug}-v{number}.pdf"
