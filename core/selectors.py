"""The home page: for each role the user has, the few things to act on today, read through
each app's selectors (each in a fixed number of queries, so the page is too)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.permissions import is_focal_point, is_manager, is_odes_specialist, is_oea_staff
from capacity_plan import selectors as plan_selectors
from capacity_plan.periods import Bimester, default_bimester
from cooperations import selectors as cooperation_selectors
from core.formats import weekday_date_text
from reports import selectors as report_selectors


@dataclass
class StaffAttention:
    sessions: list[Any]
    steps: list[Any]
    unanswered: list[Any]
    open_summaries: list[Any]


@dataclass
class FocalAttention:
    questions: list[Any]
    steps: list[Any]
    deliverables: list[Any]


@dataclass
class PlanAttention:
    """What the PFC asks for today: ODES acts on it, managers read it."""

    period: Bimester | None
    off_track: list[Any] = field(default_factory=list)
    actions_without_attendance: list[Any] = field(default_factory=list)
    pending_imports: list[Any] = field(default_factory=list)
    latest_monitoring: Any = None
    month: datetime.date | None = None

    @property
    def to_justify(self) -> list[Any]:
        return [row for row in self.off_track if row.review is None]


@dataclass
class HomeAttention:
    today: datetime.date
    staff: StaffAttention | None = None
    focal: FocalAttention | None = None
    odes: PlanAttention | None = None
    manager: PlanAttention | None = None

    @property
    def today_text(self) -> str:
        return weekday_date_text(self.today)


def home_attention(*, user: User, now: datetime.datetime | None = None) -> HomeAttention:
    now = now or timezone.now()
    today = cooperation_selectors.user_today(user=user, now=now)
    attention = HomeAttention(today=today)
    if is_oea_staff(user):
        attention.staff = StaffAttention(
            sessions=cooperation_selectors.upcoming_sessions(user=user, today=today),
            steps=cooperation_selectors.steps_due(user=user, today=today),
            unanswered=cooperation_selectors.unanswered_questions_by_cooperation(user=user),
            open_summaries=report_selectors.summaries_open_to_comments(user=user),
        )
    if is_focal_point(user):
        attention.focal = FocalAttention(
            questions=cooperation_selectors.unanswered_questions_by_cooperation(user=user),
            steps=cooperation_selectors.steps_due(user=user, today=today),
            deliverables=cooperation_selectors.deliverables_due(user=user, today=today),
        )
    odes, manager = is_odes_specialist(user), is_manager(user)
    if odes or manager:
        plan = plan_selectors.plan_get()
        period = default_bimester(plan.year, today) if plan else None
        off_track = plan_selectors.indicators_off_track(plan=plan, period=period) if plan and period else []
        if odes:
            attention.odes = PlanAttention(
                period=period,
                off_track=off_track,
                actions_without_attendance=plan_selectors.actions_without_attendance(
                    year=today.year, month=today.month
                ),
                pending_imports=plan_selectors.import_previews_pending(user=user, now=now),
                month=today.replace(day=1),
            )
        if manager:
            attention.manager = PlanAttention(
                period=period,
                off_track=off_track,
                latest_monitoring=report_selectors.latest_monitoring_version(),
            )
    return attention
