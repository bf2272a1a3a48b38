"""Reads for the PFC pages, each in a fixed number of queries whatever the data size."""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.db.models import Aggregate, Avg, Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from rial_site.db import count_subquery

from .filters import CatalogueFilter, TrainingActionFilter
from .indicators import (
    IndicatorStatus,
    Registers,
    format_value,
    indicator_status,
    indicator_value,
    load_registers,
)
from .models import (
    ActionSession,
    Attendance,
    Component,
    ImportJob,
    ImportPreview,
    Indicator,
    IndicatorReview,
    Measurement,
    Milestone,
    OrganisationalUnit,
    Plan,
    PlanObjective,
    PublicServant,
    RecordingSlot,
    Region,
    SatisfactionResponse,
    TrainingAction,
)
from .models.training import TrainingActionQuerySet
from .periods import Bimester


def plan_get() -> Plan | None:
    """The plan the application runs (the latest)."""
    return Plan.objects.order_by("-year").first()


def plan_objectives(*, plan: Plan) -> list[PlanObjective]:
    return list(plan.objectives.all())


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: object
    value_text: str
    status: IndicatorStatus
    review: object = None
    progress: int | None = None  # 0..100 for the progress bar
    measurement: Measurement | None = None  # a manual indicator's value of the period, with its evidence


@dataclass
class MilestoneRow:
    milestone: Milestone
    indicators: list[IndicatorRow] = field(default_factory=list)
    reached: int = 0


def _indicator_row(indicator: Indicator, registers: Registers) -> IndicatorRow:
    value = indicator_value(indicator, registers)
    progress = None
    if value is not None and indicator.target:
        progress = max(0, min(100, int(value * 100 / indicator.target)))
    return IndicatorRow(
        indicator=indicator,
        value=value,
        value_text=format_value(indicator, value),
        status=indicator_status(indicator, value),
        review=registers.reviews.get(indicator.pk),
        progress=progress,
        measurement=registers.measurements.get(indicator.pk),
    )


def reach_by_milestone(*, plan: Plan, until: datetime.date | None = None) -> dict[int, int]:
    """Distinct servants present at least once in each hito's actions (one identity each),
    in sessions up to `until` when given."""
    attendance = Attendance.objects.filter(
        status=Attendance.Status.PRESENT, session__action__milestone__component__plan=plan
    )
    if until is not None:
        attendance = attendance.filter(session__date__lte=until)
    rows = attendance.values("session__action__milestone").annotate(servants=Count("servant", distinct=True))
    return {row["session__action__milestone"]: row["servants"] for row in rows}


def plan_overview(*, plan: Plan, period: Bimester) -> list[tuple[Component, list[MilestoneRow]]]:
    components = list(
        plan.components.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.prefetch_related("indicators", "regions"))
        )
    )
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


def milestone_trend(
    *, milestone: Milestone, indicators: list[Indicator], year: int
) -> list[tuple[Bimester, list[IndicatorRow]]]:
    """Each of the hito's indicators in each period of the year (six register loads)."""
    trend = []
    for period in Bimester.of_year(year):
        registers = load_registers(plan=milestone.component.plan, period=period)
        trend.append((period, [_indicator_row(indicator, registers) for indicator in indicators]))
    return trend


def milestone_get(*, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.select_related("component__plan"), pk=pk)


class MilestoneSummary(TypedDict):
    regions: list[Region]
    reached: int
    indicators: list[Indicator]
    trend: list[tuple[Bimester, list[IndicatorRow]]]
    actions: QuerySet[TrainingAction]


def milestone_summary(*, milestone: Milestone) -> MilestoneSummary:
    """What the hito page shows besides the hito: its regions, the servants it reached, its
    indicators with their trend over the year, and its training actions."""
    plan = milestone.component.plan
    indicators = list(milestone.indicators.all())
    return {
        "regions": list(milestone.regions.all()),
        "reached": reach_by_milestone(plan=plan).get(milestone.pk, 0),
        "indicators": indicators,
        "trend": milestone_trend(milestone=milestone, indicators=indicators, year=plan.year),
        "actions": action_list(milestone=milestone),
    }


def indicator_get(*, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("milestone__component__plan"), pk=pk)


def measurement_get(*, pk: int) -> Measurement:
    return get_object_or_404(Measurement, pk=pk)


def indicator_review_get(*, indicator: Indicator, period: Bimester) -> IndicatorReview | None:
    """The justification recorded for the indicator in the period, if any."""
    return indicator.reviews.filter(year=period.year, bimester=period.number).first()


def action_list(*, milestone: Milestone | None = None) -> QuerySet[TrainingAction]:
    """Training actions in the order of the lists (of one hito when given)."""
    queryset = TrainingAction.objects.select_related("organisational_unit", "theme", "milestone").prefetch_related(
        "target_regions"
    )
    if milestone is not None:
        queryset = queryset.filter(milestone=milestone)
    return queryset.order_by("planned_start", "title", "pk")


def action_search(*, filters: Mapping[str, Any] | None = None) -> tuple[TrainingActionFilter, QuerySet[TrainingAction]]:
    """The action list page: its filter bound to `filters` (the request's query data; the page
    renders its form) and the actions it lets through. Invalid filters filter nothing."""
    action_filter = TrainingActionFilter(filters or None, queryset=action_list())
    if action_filter.is_bound and action_filter.is_valid():
        return action_filter, action_filter.qs
    return action_filter, action_filter.queryset


def action_get(*, pk: int) -> TrainingAction:
    return get_object_or_404(TrainingAction.objects.select_related("organisational_unit", "theme", "milestone"), pk=pk)


class ActionSummary(TypedDict):
    regions: list[Region]
    sessions: Sequence[ActionSession]  # each annotated with present and recorded (attendance counts)
    survey: dict[str, Any]  # responses and the average of each dimension
    dimensions: tuple[str, ...]


def action_summary(*, action: TrainingAction) -> ActionSummary:
    """Target regions, sessions with their attendance counts and the survey averages of one action."""
    sessions = list(
        action.sessions.annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            recorded=Count("attendance"),
        )
    )
    survey = action.survey_responses.aggregate(
        responses=Count("pk"), **{name: Avg(name) for name in SatisfactionResponse.DIMENSIONS}
    )
    return {
        "regions": list(action.target_regions.all()),
        "sessions": sessions,
        "survey": survey,
        "dimensions": SatisfactionResponse.DIMENSIONS,
    }


@dataclass(frozen=True)
class ActionDependents:
    """The registers of a training action, which deleting it would take with it."""

    attendance: int  # attendance marks in its sessions
    survey_responses: int
    sessions: int  # its sessions (deleted with it when nothing is recorded in them)

    def __bool__(self) -> bool:
        return bool(self.attendance or self.survey_responses)


def action_dependents(*, action: TrainingAction) -> ActionDependents:
    return ActionDependents(
        attendance=Attendance.objects.filter(session__action=action).count(),
        survey_responses=SatisfactionResponse.objects.filter(action=action).count(),
        sessions=ActionSession.objects.filter(action=action).count(),
    )


def action_participants(*, action: TrainingAction) -> QuerySet[PublicServant]:
    """The servants registered in any session of the action (those who may answer its survey)."""
    return PublicServant.objects.filter(attendance__session__action=action).distinct().select_related("region")


def session_get(*, pk: int) -> ActionSession:
    return get_object_or_404(ActionSession.objects.select_related("action"), pk=pk)


def servant_names(*, pks: Iterable[int]) -> list[str]:
    """The names of the given servants, in alphabetical order."""
    return list(
        PublicServant.objects.filter(pk__in=list(pks)).order_by("full_name").values_list("full_name", flat=True)
    )


def servant_known_name(*, document_number: str, email: str, full_name: str, region_id: int | None) -> str | None:
    """The name stored for the servant these details identify (same DNI, else e-mail, else name
    and region), or None when nobody is registered with them."""
    key = PublicServant.make_identity_key(
        document_number=document_number, email=email, full_name=full_name, region_id=region_id
    )
    return PublicServant.objects.filter(identity_key=key).values_list("full_name", flat=True).first()


def servant_ids_existing(*, pks: Iterable[int]) -> set[int]:
    """Those of the given ids that belong to a servant."""
    return set(PublicServant.objects.filter(pk__in=list(pks)).values_list("pk", flat=True))


@dataclass
class GridRow:
    servant: PublicServant
    status: str


def attendance_grid(*, session: ActionSession, region_id: int | None = None) -> list[GridRow]:
    """The servants to mark for a session: those of the action's target regions and everyone
    already registered in any session of the action; with their mark for this session."""
    action = session.action
    roster = (
        PublicServant.objects.filter(Q(region__in=action.target_regions.all()) | Q(attendance__session__action=action))
        .select_related("region")
        .distinct()
    )
    if region_id:
        roster = roster.filter(region_id=region_id)
    marks = dict(Attendance.objects.filter(session=session).values_list("servant_id", "status"))
    return [
        GridRow(servant=servant, status=marks.get(servant.pk, ""))
        for servant in roster.order_by("region__name", "full_name")
    ]


@dataclass
class Catalogue:
    """The actions offered to the regions in one month, grouped by organisational unit."""

    month: datetime.date  # its first day
    filter: CatalogueFilter  # bound to the request's choices; the page renders its form
    units: dict[OrganisationalUnit, list[TrainingAction]]
    region: Region | None
    unit: OrganisationalUnit | None

    @property
    def previous(self) -> datetime.date:
        return (self.month - datetime.timedelta(days=1)).replace(day=1)

    @property
    def following(self) -> datetime.date:
        return (self.month + datetime.timedelta(days=32)).replace(day=1)

    @property
    def count(self) -> int:
        return sum(len(actions) for actions in self.units.values())


def _catalogue_default_month(*, actions: TrainingActionQuerySet, today: datetime.date) -> datetime.date:
    """The plan's current month (today's, within the plan's year) if it offers actions, else
    the next month of the year that does, else the last one before that does, else the current
    month itself. At most four queries."""
    plan = plan_get()
    year = plan.year if plan else today.year
    current = min(max(today, datetime.date(year, 1, 1)), datetime.date(year, 12, 31)).replace(day=1)
    if actions.in_month(current.year, current.month).exists():
        return current
    in_year = actions.filter(planned_start__year=year)
    day = (
        in_year.filter(planned_start__gt=current).order_by("planned_start").values_list("planned_start", flat=True)
    ).first() or (
        in_year.filter(planned_start__lt=current).order_by("-planned_start").values_list("planned_start", flat=True)
    ).first()
    return day.replace(day=1) if day else current


def monthly_catalogue(*, filters: Mapping[str, Any] | None = None, today: datetime.date | None = None) -> Catalogue:
    """The catalogue page and its downloads: the month in `filters` ("mes", YYYY-MM; when
    empty or invalid, the plan's current or next month with actions), of one region and one UO
    when chosen. Cancelled actions are not offered. A fixed number of queries."""
    offered = TrainingAction.objects.exclude(status=TrainingAction.Status.CANCELLED)
    catalogue_filter = CatalogueFilter(filters or None, queryset=offered)
    choices: dict[str, Any] = {}
    if catalogue_filter.is_bound:
        catalogue_filter.is_valid()
        # Only the valid choices: a bad month does not drop a good region or UO.
        choices = catalogue_filter.form.cleaned_data
    actions = offered
    if choices.get("region"):
        actions = actions.filter(target_regions=choices["region"])
    if choices.get("organisational_unit"):
        actions = actions.filter(organisational_unit=choices["organisational_unit"])
    month = choices.get("mes") or _catalogue_default_month(actions=actions, today=today or datetime.date.today())
    grouped: defaultdict[OrganisationalUnit, list[TrainingAction]] = defaultdict(list)
    for action in (
        actions.in_month(month.year, month.month)
        .select_related("organisational_unit", "theme", "milestone")
        .prefetch_related("target_regions")
        .order_by("organisational_unit__acronym", "planned_start", "title", "pk")
    ):
        grouped[action.organisational_unit].append(action)
    return Catalogue(
        month=month,
        filter=catalogue_filter,
        units=dict(grouped),
        region=choices.get("region"),
        unit=choices.get("organisational_unit"),
    )


# --- One bimonthly period: actions by status, attendance and satisfaction, recordings ---------
# Used by the plan page and by the bimonthly monitoring report, so both show the same figures.
# Each returns plain dicts (numbers, Decimals, strings), never model instances.

ACTION_STATUSES = (  # key in the rows, status
    ("executed", TrainingAction.Status.EXECUTED),
    ("rescheduled", TrainingAction.Status.RESCHEDULED),
    ("cancelled", TrainingAction.Status.CANCELLED),
    ("pending", TrainingAction.Status.PROGRAMMED),
)
ACTION_COUNT_KEYS = ("total", *(key for key, _status in ACTION_STATUSES), "not_in_plan", "demo")


def _in_plan(plan: Plan, path: str = "") -> Q:
    """The plan's actions, and those not attached to any hito (as the indicators count them)."""
    return Q(**{f"{path}milestone__component__plan": plan}) | Q(**{f"{path}milestone__isnull": True})


def _regions() -> list[tuple[int, str]]:
    """(id, name) of every region in Spanish alphabetical order (Áncash among the A)."""
    return sorted(
        Region.objects.values_list("pk", "name"),
        key=lambda region: unicodedata.normalize("NFKD", region[1]).encode("ascii", "ignore").lower(),
    )


def _percentage(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _average(value: Decimal | float | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _status_counts(path: str = "") -> dict[str, Count]:
    """Count annotations of training actions by status; `path` leads from the counted rows to
    the action (e.g. "trainingaction__" from the target-region links)."""
    counts = {"total": Count("pk")}
    for key, status in ACTION_STATUSES:
        counts[key] = Count("pk", filter=Q(**{f"{path}status": status}))
    counts["not_in_plan"] = Count("pk", filter=Q(**{f"{path}programmed": False}))
    counts["demo"] = Count("pk", filter=Q(**{f"{path}is_demo": True}))
    return counts


def action_counts_row(label: str, counts: Mapping[str, Any] | None, **extra: Any) -> dict[str, Any]:
    """A row of action counts by status (zeros when `counts` is None) with its execution rate."""
    row: dict[str, Any] = {"label": label, **extra}
    row.update({key: (counts or {}).get(key, 0) for key in ACTION_COUNT_KEYS})
    row["execution_rate"] = _percentage(row["executed"], row["total"])
    return row


def period_actions(*, plan: Plan, period: Bimester) -> QuerySet[TrainingAction]:
    """The plan's training actions whose current start falls in the period: a rescheduled
    action counts in the period of its new date."""
    return TrainingAction.objects.starting_between(period.start, period.end).filter(_in_plan(plan))


def period_actions_rescheduled_out(*, plan: Plan, period: Bimester) -> QuerySet[TrainingAction]:
    """The plan's training actions first programmed to start in the period and rescheduled to
    another one. The period reports them apart («reprogramadas a otro periodo»), not among its
    actions, so that no action counts in two periods."""
    return TrainingAction.objects.rescheduled_out_of(period.start, period.end).filter(_in_plan(plan))


class ActionStatusSummary(TypedDict):
    """Rows made by action_counts_row."""

    totals: dict[str, Any]
    by_unit: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    by_milestone: dict[int | None, dict[str, Any]]  # milestone id (None: no hito) -> row
    without_milestone: dict[str, Any]
    rescheduled_out: int  # first programmed in the period, now in another (not in the rows)


def action_status_summary(*, plan: Plan, period: Bimester) -> ActionStatusSummary:
    """Actions of the period by status: in total, by UO, by target region (all regions, also
    those no action targets) and by hito; and how many were rescheduled out of it. Five queries."""
    actions = period_actions(plan=plan, period=period)
    by_unit = [
        action_counts_row(row["organisational_unit__acronym"], row, name=row["organisational_unit__name"])
        for row in actions.values("organisational_unit", "organisational_unit__acronym", "organisational_unit__name")
        .annotate(**_status_counts())
        .order_by("organisational_unit__acronym")
    ]
    # The stubs type a values() row's nullable foreign key as int; it is None for no hito.
    by_milestone: dict[int | None, dict[str, Any]] = {
        row["milestone"]: action_counts_row("", row)
        for row in actions.values("milestone").annotate(**_status_counts()).order_by()
    }
    links = TrainingAction.target_regions.through.objects.filter(trainingaction__in=actions)
    region_counts = {
        row["region"]: row for row in links.values("region").annotate(**_status_counts("trainingaction__")).order_by()
    }
    by_region = [action_counts_row(name, region_counts.get(pk), region=pk) for pk, name in _regions()]
    totals = action_counts_row("", {key: sum(row[key] for row in by_unit) for key in ACTION_COUNT_KEYS})
    return {
        "totals": totals,
        "by_unit": by_unit,
        "by_region": by_region,
        "by_milestone": by_milestone,
        "without_milestone": by_milestone.get(None) or action_counts_row("", None),
        "rescheduled_out": period_actions_rescheduled_out(plan=plan, period=period).count(),
    }


def _participation_row(
    label: str, attendance: Mapping[str, Any] | None, surveys: Mapping[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    attendance, surveys = attendance or {}, surveys or {}
    records, present = attendance.get("records", 0), attendance.get("present", 0)
    responses = surveys.get("responses", 0)
    averages = {
        name: Decimal(surveys[name]) for name in SatisfactionResponse.DIMENSIONS if surveys.get(name) is not None
    }
    return {
        "label": label,
        **extra,
        "records": records,
        "present": present,
        "servants": attendance.get("servants", 0),
        "attendance_rate": _percentage(present, records),
        "responses": responses,
        "satisfaction": _mean(averages.values()),
        "dimensions": {name: _average(averages.get(name)) for name in SatisfactionResponse.DIMENSIONS},
    }


def _mean(values: Iterable[Decimal]) -> Decimal | None:
    numbers = list(values)
    return _average(sum(numbers) / len(numbers)) if numbers else None


class ParticipationSummary(TypedDict):
    """Rows made by _participation_row."""

    totals: dict[str, Any]
    by_kind: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    anonymous_surveys: dict[str, Any] | None
    regions_without_participation: list[str]


def participation_summary(*, plan: Plan, period: Bimester) -> ParticipationSummary:
    """Attendance (sessions held in the period) and satisfaction (answers submitted in it) by
    kind of action and by the servant's region, and the regions where nobody was present.
    Attendance rate = present / all marks (absent and justified included). Five queries."""
    attendance = Attendance.objects.filter(session__date__range=(period.start, period.end)).filter(
        _in_plan(plan, "session__action__")
    )
    attendance_counts = {
        "records": Count("pk"),
        "present": Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        "servants": Count("servant", filter=Q(status=Attendance.Status.PRESENT), distinct=True),
    }
    surveys = SatisfactionResponse.objects.filter(submitted_at__date__range=(period.start, period.end)).filter(
        _in_plan(plan, "action__")
    )
    survey_counts = {"responses": Count("pk"), **{name: Avg(name) for name in SatisfactionResponse.DIMENSIONS}}

    def grouped(queryset: QuerySet[Any], field_name: str, counts: Mapping[str, Aggregate]) -> dict[Any, dict[str, Any]]:
        return {row[field_name]: row for row in queryset.values(field_name).annotate(**counts).order_by()}

    kind_attendance = grouped(attendance, "session__action__kind", attendance_counts)
    kind_surveys = grouped(surveys, "action__kind", survey_counts)
    region_attendance = grouped(attendance, "servant__region", attendance_counts)
    region_surveys = grouped(surveys, "servant__region", survey_counts)

    by_kind = [
        _participation_row(str(label), kind_attendance.get(kind), kind_surveys.get(kind), kind=kind)
        for kind, label in TrainingAction.Kind.choices
        if kind in kind_attendance or kind in kind_surveys
    ]
    by_region = [
        _participation_row(name, region_attendance.get(pk), region_surveys.get(pk), region=pk)
        for pk, name in _regions()
    ]
    anonymous = region_surveys.get(None)
    totals: dict[str, Any] = {key: sum(row[key] for row in by_region) for key in ("records", "present", "servants")}
    responses = sum(row["responses"] for row in kind_surveys.values())
    averages = (
        {
            name: sum(Decimal(row[name]) * row["responses"] for row in kind_surveys.values()) / responses
            for name in SatisfactionResponse.DIMENSIONS
        }
        if responses
        else {}
    )
    totals.update(
        attendance_rate=_percentage(totals["present"], totals["records"]),
        responses=responses,
        satisfaction=_mean(averages.values()),
        dimensions={name: _average(averages.get(name)) for name in SatisfactionResponse.DIMENSIONS},
    )
    return {
        "totals": totals,
        "by_kind": by_kind,
        "by_region": by_region,
        "anonymous_surveys": _participation_row("", None, anonymous) if anonymous else None,
        "regions_without_participation": [row["label"] for row in by_region if not row["servants"]],
    }


class RecordingFigures(TypedDict):
    slots: int
    recorded: int
    themes: int
    themes_recorded: int
    rate: Decimal | None


class RecordingLine(TypedDict):
    date: datetime.date
    unit: str
    unit_name: str  # empty when the seed does not name the unit
    themes: int
    recorded: bool
    in_period: bool


class RecordingProgress(TypedDict):
    until_period_end: RecordingFigures
    overall: RecordingFigures
    lines: list[RecordingLine]


def recording_progress(*, year: int, period: Bimester) -> RecordingProgress:
    """The recording schedule of the year (Hito 10): recorded against programmed up to the end
    of the period and overall, and the lines due by then. Two queries."""
    slots = RecordingSlot.objects.filter(recording_date__year=year)
    due = Q(recording_date__lte=period.end)
    done = Q(recorded=True)
    figures = slots.aggregate(
        n_slots=Count("pk"),
        n_recorded=Count("pk", filter=done),
        n_themes=Sum("theme_count"),
        n_themes_recorded=Sum("theme_count", filter=done),
        due_slots=Count("pk", filter=due),
        due_recorded=Count("pk", filter=due & done),
        due_themes=Sum("theme_count", filter=due),
        due_themes_recorded=Sum("theme_count", filter=due & done),
    )
    figures = {key: value or 0 for key, value in figures.items()}
    lines = list(
        slots.filter(due)
        .order_by("recording_date", "organisational_unit__acronym")
        .values(
            "recording_date", "organisational_unit__acronym", "organisational_unit__name", "theme_count", "recorded"
        )
    )
    return {
        "until_period_end": {
            "slots": figures["due_slots"],
            "recorded": figures["due_recorded"],
            "themes": figures["due_themes"],
            "themes_recorded": figures["due_themes_recorded"],
            "rate": _percentage(figures["due_recorded"], figures["due_slots"]),
        },
        "overall": {
            "slots": figures["n_slots"],
            "recorded": figures["n_recorded"],
            "themes": figures["n_themes"],
            "themes_recorded": figures["n_themes_recorded"],
            "rate": _percentage(figures["n_recorded"], figures["n_slots"]),
        },
        "lines": [
            {
                "date": line["recording_date"],
                "unit": line["organisational_unit__acronym"],
                "unit_name": line["organisational_unit__name"],
                "themes": line["theme_count"],
                "recorded": line["recorded"],
                "in_period": period.includes(line["recording_date"]),
            }
            for line in lines
        ],
    }


# --- The home page: what needs the user's attention today -------------------------------------


def actions_without_attendance(*, year: int, month: int) -> list[TrainingAction]:
    """The month's training actions (TrainingAction.objects.in_month), not cancelled, with no
    attendance recorded in any of their sessions, soonest first."""
    return list(
        TrainingAction.objects.in_month(year, month)
        .exclude(status=TrainingAction.Status.CANCELLED)
        .annotate(recorded=count_subquery(Attendance.objects.all(), "session__action"))
        .filter(recorded=0)
        .select_related("organisational_unit")
        .order_by("planned_start", "title", "pk")
    )


def indicators_off_track(*, plan: Plan, period: Bimester) -> list[IndicatorRow]:
    """The plan's indicators off track in the period, in the plan's order, each with its
    justification (`review`, None when nobody has justified it yet)."""
    indicators = Indicator.objects.filter(milestone__component__plan=plan).select_related("milestone__component")
    registers = load_registers(plan=plan, period=period)
    rows = [_indicator_row(indicator, registers) for indicator in indicators]
    return [row for row in rows if row.status.needs_review]


def import_previews_pending(*, user: User, now: datetime.datetime) -> list[ImportPreview]:
    """Imports the user previewed and has not confirmed yet, before they expire; newest first."""
    return list(ImportPreview.objects.filter(created_by=user, expires_at__gt=now).order_by("-created_at"))


def import_job_get(*, pk: int, user: User) -> ImportJob:
    """An import job of `user`'s: someone else's is not found (404)."""
    return get_object_or_404(ImportJob.objects.all(), pk=pk, created_by=user)


# --- Notifications: what the daily job (send_due_notifications) finds due ---------------------


def actions_past_date_unmarked(*, today: datetime.date, window_days: int) -> list[TrainingAction]:
    """Training actions still «programada» or «reprogramada» whose current last day (their end,
    else their start) passed within the last `window_days` days: nobody marked them executed,
    rescheduled them again or cancelled them. The window lets a day the job missed be caught up
    without reporting a whole past year the first time the job runs."""
    last_day = Coalesce("planned_end", "planned_start")
    return list(
        TrainingAction.objects.filter(status__in=(TrainingAction.Status.PROGRAMMED, TrainingAction.Status.RESCHEDULED))
        .alias(last_day=last_day)
        .filter(last_day__lt=today, last_day__gte=today - datetime.timedelta(days=window_days))
        .select_related("organisational_unit")
        .order_by("planned_start", "pk")
    )


def indicators_off_track_unjustified(*, plan: Plan, period: Bimester) -> list[IndicatorRow]:
    """The plan's indicators off track in the period that nobody has justified yet."""
    return [row for row in indicators_off_track(plan=plan, period=period) if row.review is None]
