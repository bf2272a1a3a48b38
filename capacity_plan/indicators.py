"""Indicator values and their status against the target.

Computed indicators take their value from the registers (attendance, surveys, training
actions), never from typing. All indicators of the plan are computed together for a period in
a fixed number of queries (one per register), so pages do not grow with the data.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from core.formats import number_text, percent_text, rating_text

from .models import Attendance, Indicator, IndicatorReview, Measurement, Plan, SatisfactionResponse, TrainingAction
from .periods import Bimester

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Registers:
    """Aggregates of the registers for one period, keyed by milestone id (None: no milestone)."""

    attendance: dict  # milestone -> {"total", "present", "servants"}
    surveys: dict  # milestone -> {"responses", dimension averages…}
    actions: dict  # milestone -> {"n_programmed", "n_programmed_executed", "n_executed"}
    plan_servants: int  # distinct servants present anywhere in the plan
    measurements: dict  # indicator id -> Measurement
    reviews: dict  # indicator id -> IndicatorReview


def load_registers(*, plan: Plan, period: Bimester) -> Registers:
    attendance = Attendance.objects.filter(session__date__range=(period.start, period.end)).filter(
        Q(session__action__milestone__component__plan=plan) | Q(session__action__milestone__isnull=True)
    )
    attendance_rows = attendance.values("session__action__milestone").annotate(
        total=Count("pk"),
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        servants=Count("servant", filter=Q(status=Attendance.Status.PRESENT), distinct=True),
    )
    survey_rows = (
        SatisfactionResponse.objects.filter(submitted_at__date__range=(period.start, period.end))
        .filter(Q(action__milestone__component__plan=plan) | Q(action__milestone__isnull=True))
        .values("action__milestone")
        .annotate(responses=Count("pk"), **{name: Avg(name) for name in SatisfactionResponse.DIMENSIONS})
    )
    action_rows = (
        TrainingAction.objects.starting_between(period.start, period.end)  # current dates
        .filter(Q(milestone__component__plan=plan) | Q(milestone__isnull=True))
        .values("milestone")
        .annotate(
            n_programmed=Count("pk", filter=Q(programmed=True)),
            n_programmed_executed=Count("pk", filter=Q(programmed=True, status=TrainingAction.Status.EXECUTED)),
            n_executed=Count("pk", filter=Q(status=TrainingAction.Status.EXECUTED)),
        )
    )
    indicators = Indicator.objects.filter(milestone__component__plan=plan)
    return Registers(
        attendance={row["session__action__milestone"]: row for row in attendance_rows},
        surveys={row["action__milestone"]: row for row in survey_rows},
        actions={row["milestone"]: row for row in action_rows},
        plan_servants=attendance.filter(status=Attendance.Status.PRESENT).values("servant").distinct().count(),
        measurements={
            m.indicator_id: m
            for m in Measurement.objects.filter(indicator__in=indicators, year=period.year, bimester=period.number)
        },
        reviews={
            r.indicator_id: r
            for r in IndicatorReview.objects.filter(indicator__in=indicators, year=period.year, bimester=period.number)
        },
    )


def _rows(table: dict, indicator: Indicator) -> list[dict]:
    """The register rows an indicator looks at: its milestone's, or the whole plan's."""
    if indicator.scope == Indicator.Scope.PLAN:
        return list(table.values())
    return [table[indicator.milestone_id]] if indicator.milestone_id in table else []


def indicator_value(indicator: Indicator, registers: Registers) -> Decimal | None:
    source = indicator.source
    if source == Indicator.Source.MANUAL:
        measurement = registers.measurements.get(indicator.pk)
        return measurement.value if measurement else None
    if source == Indicator.Source.ATTENDANCE_RATE:
        rows = _rows(registers.attendance, indicator)
        total = sum(row["total"] for row in rows)
        return _round(Decimal(sum(row["present"] for row in rows)) * HUNDRED / total) if total else None
    if source == Indicator.Source.PARTICIPANTS:
        if indicator.scope == Indicator.Scope.PLAN:
            return Decimal(registers.plan_servants)
        rows = _rows(registers.attendance, indicator)
        return Decimal(rows[0]["servants"]) if rows else Decimal(0)
    if source == Indicator.Source.SATISFACTION:
        rows = _rows(registers.surveys, indicator)
        responses = sum(row["responses"] for row in rows)
        if not responses:
            return None
        dimensions = indicator.averaged_aspects  # those the indicator is defined on; else all five
        weighted = sum(Decimal(row[name]) * row["responses"] for row in rows for name in dimensions)
        return _round(weighted / (responses * len(dimensions)))
    rows = _rows(registers.actions, indicator)
    if source == Indicator.Source.ACTION_COUNT:
        return Decimal(sum(row["n_executed"] for row in rows))
    if source == Indicator.Source.EXECUTED_SHARE:
        programmed = sum(row["n_programmed"] for row in rows)
        done = sum(row["n_programmed_executed"] for row in rows)
        return _round(Decimal(done) * HUNDRED / programmed) if programmed else None
    return None


@dataclass
class IndicatorStatus:
    code: str  # on_track, at_risk, off_track, no_data, no_target
    label: str
    margin: str  # what the screen says about the distance to the target
    css: str

    @property
    def needs_review(self) -> bool:
        return self.code == "off_track"


def _number(value: Decimal | None, indicator: Indicator) -> str:
    """The value with up to two decimals, with % for a percentage indicator: "72,5%", "12";
    a 1-to-5 average always with two ("3,60" beside "4,13"); "—" without one."""
    if indicator.kind == Indicator.Kind.PERCENTAGE:
        return percent_text(value, places=2)
    if indicator.kind == Indicator.Kind.SCALE:
        return rating_text(value)
    return number_text(value, places=2)


def indicator_status(indicator: Indicator, value: Decimal | None) -> IndicatorStatus:
    if value is None:
        return IndicatorStatus("no_data", _("Sin datos"), _("No hay registros en el periodo."), "secondary")
    if indicator.target is None:
        return IndicatorStatus("no_target", _("Sin meta"), _("El plan no fija una meta para este indicador."), "light")
    target = indicator.target
    if indicator.kind == Indicator.Kind.YES_NO:
        if value >= 1:
            return IndicatorStatus("on_track", _("En camino"), _("Cumplido."), "success")
        return IndicatorStatus("off_track", _("Fuera de ruta"), _("Aún no se cumple."), "danger")
    gap = (target - value) if indicator.direction == Indicator.Direction.INCREASE else (value - target)
    tolerance = (abs(target) * indicator.risk_margin / HUNDRED).quantize(TWO_PLACES)
    values = {
        "gap": _number(abs(gap), indicator),
        "target": _number(target, indicator),
        "tolerance": _number(tolerance, indicator),
    }
    if gap <= 0:
        margin = (
            _("Alcanza la meta de %(target)s.") % values
            if gap == 0
            else _("Supera la meta de %(target)s por %(gap)s.") % values
        )
        return IndicatorStatus("on_track", _("En camino"), margin, "success")
    if gap <= tolerance:
        return IndicatorStatus(
            "at_risk",
            _("En riesgo"),
            _("A %(gap)s de la meta de %(target)s, dentro del margen de riesgo de %(tolerance)s.") % values,
            "warning",
        )
    return IndicatorStatus(
        "off_track",
        _("Fuera de ruta"),
        _("A %(gap)s de la meta de %(target)s; el margen de riesgo es %(tolerance)s.") % values,
        "danger",
    )


def format_value(indicator: Indicator, value: Decimal | None) -> str:
    """The value as the pages and the report show it; "—" without one."""
    return _number(value, indicator)
