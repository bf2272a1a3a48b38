"""Reads for the PFC pages, each in a fixed number of queries whatever the data size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from .indicators import IndicatorStatus, format_value, indicator_status, indicator_value, load_registers
from .models import (
    ActionSession,
    Attendance,
    Component,
    Indicator,
    Milestone,
    Plan,
    PublicServant,
    SatisfactionResponse,
    TrainingAction,
)
from .periods import Bimester


def plan_get() -> Plan | None:
    """The plan the application runs (the latest)."""
    return Plan.objects.order_by("-year").first()


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: object
    value_text: str
    status: IndicatorStatus
    review: object = None
    progress: int | None = None  # 0..100 for the progress bar


@dataclass
class MilestoneRow:
    milestone: Milestone
    indicators: list[IndicatorRow] = field(default_factory=list)
    reached: int = 0

    @property
    def reach_percent(self) -> int | None:
        size = self.milestone.target_audience_size
        return min(100, round(self.reached * 100 / size)) if size else None


def _indicator_row(indicator, registers) -> IndicatorRow:
    value = indicator_value(indicator, registers)
    progress = None
    if value is not None and indicator.target:
        progress = max(0, min(100, int(value * 100 / indicator.target)))
    return IndicatorRow(indicator=indicator, value=value, value_text=format_value(indicator, value),
                        status=indicator_status(indicator, value), review=registers.reviews.get(indicator.pk),
                        progress=progress)


def reach_by_milestone(*, plan: Plan) -> dict[int, int]:
    """Distinct servants present at least once in each hito's actions (one identity each)."""
    rows = (Attendance.objects.filter(status=Attendance.Status.PRESENT,
                                      session__action__milestone__component__plan=plan)
            .values("session__action__milestone").annotate(servants=Count("servant", distinct=True)))
    return {row["session__action__milestone"]: row["servants"] for row in rows}


def plan_overview(*, plan: Plan, period: Bimester) -> list[tuple[Component, list[MilestoneRow]]]:
    components = list(plan.components.prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.prefetch_related("indicators", "regions"))))
    registers = load_registers(plan=plan, period=period)
    reach = reach_by_milestone(plan=plan)
    result = []
    for component in components:
        rows = []
        for milestone in component.milestones.all():
            row = MilestoneRow(milestone=milestone, reached=reach.get(milestone.pk, 0))
            row.indicators = [_indicator_row(indicator, registers) for indicator in milestone.indicators.all()]
            rows.append(row)
        result.append((component, rows))
    return result


def milestone_trend(*, milestone: Milestone, year: int) -> list[tuple[Bimester, list[IndicatorRow]]]:
    """Every indicator of the hito in each period of the year (six register loads)."""
    indicators = list(milestone.indicators.all())
    trend = []
    for period in Bimester.of_year(year):
        registers = load_registers(plan=milestone.component.plan, period=period)
        trend.append((period, [_indicator_row(indicator, registers) for indicator in indicators]))
    return trend


def action_list(*, filters=None) -> QuerySet[TrainingAction]:
    queryset = TrainingAction.objects.select_related("organisational_unit", "theme", "milestone").prefetch_related(
        "target_regions").annotate(session_count=Count("sessions", distinct=True))
    if filters is not None:
        queryset = filters(queryset)
    return queryset.order_by("planned_start", "title", "pk")


def action_get(*, pk: int) -> TrainingAction:
    return get_object_or_404(TrainingAction.objects.select_related("organisational_unit", "theme", "milestone"), pk=pk)


def action_summary(*, action: TrainingAction) -> dict:
    """Sessions with their attendance counts and the survey averages of one action."""
    sessions = list(action.sessions.annotate(
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
        recorded=Count("attendance"),
    ))
    survey = action.survey_responses.aggregate(responses=Count("pk"),
                                               **{name: Avg(name) for name in SatisfactionResponse.DIMENSIONS})
    return {"sessions": sessions, "survey": survey, "dimensions": SatisfactionResponse.DIMENSIONS}


@dataclass
class GridRow:
    servant: PublicServant
    status: str


def attendance_grid(*, session: ActionSession, region_id: int | None = None) -> list[GridRow]:
    """The servants to mark for a session: those of the action's target regions and everyone
    already registered in any session of the action; with their mark for this session."""
    action = session.action
    roster = PublicServant.objects.filter(
        Q(region__in=action.target_regions.all()) | Q(attendance__session__action=action)
    ).select_related("region").distinct()
    if region_id:
        roster = roster.filter(region_id=region_id)
    marks = dict(Attendance.objects.filter(session=session).values_list("servant_id", "status"))
    return [GridRow(servant=servant, status=marks.get(servant.pk, ""))
            for servant in roster.order_by("region__name", "full_name")]


def monthly_catalogue(*, year: int, month: int) -> dict:
    """The actions offered to the regions in a month, grouped by organisational unit."""
    actions = (TrainingAction.objects.in_month(year, month)
               .exclude(status=TrainingAction.Status.CANCELLED)
               .select_related("organisational_unit", "theme", "milestone").prefetch_related("target_regions")
               .order_by("organisational_unit__acronym", "planned_start", "title"))
    grouped = defaultdict(list)
    for action in actions:
        grouped[action.organisational_unit].append(action)
    return dict(grouped)
