"""Reads of the API, scoped to the user by the same selectors as the pages: a focal point's
token sees only their institution's cooperations (cooperations.selectors.cooperation_visible);
the PFC is read whole by whoever may open its pages (the views check the permission). Each
queryset does its joins here, so a page of results costs the same few queries whatever its size."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from knox.models import AuthToken

from capacity_plan.models import ActionSession, Attendance, Region, SatisfactionResponse, TrainingAction
from capacity_plan.periods import Bimester, default_bimester
from capacity_plan.selectors import action_list, plan_get, plan_overview
from cooperations.models import Cooperation, Participation, Question, Session, Step
from cooperations.selectors import cooperation_list, cooperation_visible


def api_cooperations(*, user: User) -> QuerySet[Cooperation]:
    """The cooperations the user sees (as the list page), each with its sessions, steps,
    participants and questions."""
    return cooperation_list(user=user).cooperations.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("order")),
        Prefetch("steps", queryset=Step.objects.prefetch_related("responsible_institutions")),
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("person", "institution", "delegation"),
        ),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("objective", "asked_by", "answered_in_session").order_by(
                "objective__order", "number"
            ),
        ),
    )


def api_sessions(*, user: User) -> QuerySet[Session]:
    """Sessions of the cooperations the user sees."""
    return (
        Session.objects.filter(cooperation__in=cooperation_visible(user=user))
        .select_related("cooperation")
        .order_by("cooperation__short_name", "order", "pk")
    )


def cooperations_last_modified() -> datetime.datetime | None:
    """The last change (creation, edit or deletion, from the change history) to anything the
    cooperation endpoints show: cooperations, sessions, steps, participants and questions."""
    moments = [
        model.history.aggregate(last=Max("history_date"))["last"]
        for model in (Cooperation, Session, Step, Participation, Question)
    ]
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def api_training_actions() -> QuerySet[TrainingAction]:
    """Training actions in the order of the list page, with their sessions."""
    return action_list().prefetch_related(Prefetch("sessions", queryset=ActionSession.objects.order_by("date", "pk")))


def api_attendance() -> QuerySet[ActionSession]:
    """One row per training-action session: its attendance marks counted by status."""
    return (
        ActionSession.objects.select_related("action")
        .annotate(
            records=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            absent=Count("attendance", filter=Q(attendance__status=Attendance.Status.ABSENT)),
            justified=Count("attendance", filter=Q(attendance__status=Attendance.Status.JUSTIFIED)),
        )
        .order_by("date", "action__title", "pk")
    )


def api_surveys() -> QuerySet[TrainingAction]:
    """One row per training action with survey answers: how many, and each aspect's average."""
    return (
        TrainingAction.objects.annotate(
            responses=Count("survey_responses"),
            **{f"average_{name}": Avg(f"survey_responses__{name}") for name in SatisfactionResponse.DIMENSIONS},
        )
        .filter(responses__gt=0)
        .order_by("planned_start", "title", "pk")
    )


def api_regions() -> QuerySet[Region]:
    return Region.objects.all()


@dataclass(frozen=True)
class IndicatorPeriodRow:
    """An indicator's value, target and status in one bimonthly period (as the plan page)."""

    id: int
    period: str
    component: int
    milestone: int
    name: str
    kind: str
    unit: str
    source: str
    baseline: Decimal | None
    target: Decimal | None
    value: Decimal | None
    value_text: str
    status: str
    status_label: str
    status_margin: str


def api_indicator_period(*, period: Bimester | None = None) -> tuple[Bimester | None, list[IndicatorPeriodRow]]:
    """Every indicator of the plan with its value, target and status in `period` (by default
    the one the plan page opens on); (None, []) without a plan."""
    plan = plan_get()
    if plan is None:
        return None, []
    period = period or default_bimester(plan.year)
    rows = []
    for component, milestones in plan_overview(plan=plan, period=period):
        for milestone_row in milestones:
            for row in milestone_row.indicators:
                indicator = row.indicator
                rows.append(
                    IndicatorPeriodRow(
                        id=indicator.pk,
                        period=period.code,
                        component=component.number,
                        milestone=milestone_row.milestone.number,
                        name=indicator.name,
                        kind=indicator.kind,
                        unit=indicator.unit,
                        source=indicator.source,
                        baseline=indicator.baseline,
                        target=indicator.target,
                        value=None if row.value is None else Decimal(str(row.value)),
                        value_text=row.value_text,
                        status=row.status.code,
                        status_label=str(row.status.label),
                        status_margin=str(row.status.margin),
                    )
                )
    return period, rows


def token_list(*, user: User) -> QuerySet[AuthToken]:
    """The user's own tokens, newest first, with their names (never their secret: only a hash is kept)."""
    tokens: QuerySet[AuthToken] = AuthToken.objects.filter(user=user).select_related("personal").order_by("-created")
    return tokens
