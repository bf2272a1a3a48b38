"""How a ranking is computed, from plain data only (the method and each region's values), so a
published version recomputes from its snapshot alone.

Score of a region = Σ weight × value / 100 over the three dimensions (values and weights are
percentages; the weights add up to 100). A missing value either counts as 0 (`zero`) or drops
out, its weight spread over the dimensions that have a value (`reweight`); a region with no
value at all has no score and no level. Level: high at or above the high threshold, medium at or
above the medium threshold, low below it. Scores are rounded half up to two decimals before the
thresholds are applied.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .models import Dimension, Level, MissingData

DIMENSIONS = tuple(dimension.value for dimension in Dimension)
CENT = Decimal("0.01")

# The seed's own figures for dimension 1: «14 indicadores de gestión (09 indicadores en materia
# de empleo y 04 indicadores en materia de trabajo)». 9 + 4 = 13: both are kept as written.
STATED_INDICATORS = 14
STATED_EMPLOYMENT_INDICATORS = 9
STATED_LABOUR_INDICATORS = 4


def method_of(ranking) -> dict[str, Any]:
    """The method of a ranking as JSON-ready data (numbers as strings)."""
    return {
        "weights": {
            Dimension.GOALS.value: str(ranking.weight_goals),
            Dimension.ADDITIONAL.value: str(ranking.weight_additional),
            Dimension.FINANCIAL.value: str(ranking.weight_financial),
        },
        "thresholds": {
            Level.HIGH.value: str(ranking.threshold_high),
            Level.MEDIUM.value: str(ranking.threshold_medium),
        },
        "missing": ranking.missing,
    }


def _decimal(value) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def region_score(values: dict[str, Any], method: dict[str, Any]) -> Decimal | None:
    """The weighted score (0–100, two decimals) of one region's values, or None without any."""
    weights = {name: Decimal(method["weights"][name]) for name in DIMENSIONS}
    present = {name: _decimal(values.get(name)) for name in DIMENSIONS}
    known: dict[str, Decimal] = {name: value for name, value in present.items() if value is not None}
    if not known:
        return None
    if method["missing"] == MissingData.REWEIGHT:
        total_weight = sum(weights[name] for name in known)
        if not total_weight:
            return None
        score = sum((weights[name] * value for name, value in known.items()), Decimal(0)) / total_weight
    else:
        score = sum((weights[name] * value for name, value in known.items()), Decimal(0)) / 100
    return score.quantize(CENT, rounding=ROUND_HALF_UP)


def score_level(score: Decimal | None, method: dict[str, Any]) -> str | None:
    if score is None:
        return None
    if score >= Decimal(method["thresholds"][Level.HIGH]):
        return Level.HIGH.value
    if score >= Decimal(method["thresholds"][Level.MEDIUM]):
        return Level.MEDIUM.value
    return Level.LOW.value


LEVEL_ORDER = {Level.HIGH.value: 0, Level.MEDIUM.value: 1, Level.LOW.value: 2, None: 3}


def ranking_rows(*, method: dict[str, Any], entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry ({"region", "region_name", goals, additional, financial, ...}) with its score,
    level and position, best first (ties share a position; regions without a score come last,
    by name)."""
    labels = dict(Level.choices)
    rows = []
    for entry in entries:
        score = region_score(entry, method)
        level = score_level(score, method)
        rows.append(
            {
                **entry,
                "score": str(score) if score is not None else None,
                "level": level,
                "level_label": str(labels[level]) if level else "",
            }
        )
    rows.sort(key=lambda row: (row["score"] is None, -Decimal(row["score"] or 0), row["region_name"]))
    position, previous = 0, None
    for index, row in enumerate(rows, start=1):
        if row["score"] is None:
            row["position"] = None
            continue
        if row["score"] != previous:
            position, previous = index, row["score"]
        row["position"] = position
    return rows
