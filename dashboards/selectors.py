"""What the panels show, read through the apps' own selectors so the scoping and the figures
are theirs: the cooperations panel scopes by `cooperation_visible` (a focal point sees their
institution's cooperations only), the PFC panel takes its figures from the monitoring report's
snapshot (`reports.monitoring.monitoring_snapshot`), so the page and the PDF of a period agree.
Each panel runs a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import DateTimeField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capacity_plan import selectors as plan_selectors
from capacity_plan.models import Plan, Region
from capacity_plan.periods import Bimester
from cooperations import selectors as cooperation_selectors
from cooperations.history import TRACKED_PARTS
from cooperations.models import AnswerVersion, Cooperation, DeliverableVersion, Institution, Question, Session, Step
from cooperations.permissions import focal_institution_ids, sees_every_cooperation
from ranking import selectors as ranking_selectors
from ranking.models import Level
from ranking.scoring import LEVEL_ORDER
from reports.monitoring import STATUS_CODES, monitoring_snapshot, status_labels

from .tiles import HEIGHT, TILE_SIZE, TILE_STEP, WIDTH, short_name, tile_of

PANEL_DAYS = 30  # next steps and sessions: the coming month
RECORDING_DAYS = 14  # recordings that stop being available within two weeks
INACTIVE_DAYS = 30  # a cooperation nothing happened in for a month
PANEL_LIMIT = 200  # rows per list at most (a panel, not an export)


# --- Cooperations panel --------------------------------------------------------------------------


@dataclass
class InstitutionSteps:
    """The pending steps one institution is responsible for (a shared step under each)."""

    institution: Institution | None  # None: a step without a responsible institution
    overdue: list[Step] = field(default_factory=list)
    upcoming: list[Step] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.institution is None:
            return ""
        return self.institution.acronym or self.institution.name


@dataclass
class WaitingQuestion:
    question: Question
    waiting_days: int | None  # since it was sent (None: no sending date)


@dataclass
class ExpiringRecording:
    session: Session
    days_left: int


@dataclass
class IdleCooperation:
    cooperation: Cooperation
    last_activity: datetime.datetime
    idle_days: int


@dataclass
class CooperationPanel:
    today: datetime.date
    steps: list[InstitutionSteps]
    sessions: list[Any]  # cooperations.selectors.UpcomingSession
    questions: list["WaitingQuestion"]
    recordings: list["ExpiringRecording"]
    inactive: list["IdleCooperation"]
    sees_everything: bool


def steps_by_institution(*, user: User, today: datetime.date) -> list[InstitutionSteps]:
    """Pending dated steps, overdue or due within PANEL_DAYS, under each responsible institution
    (a focal point: only under theirs). Two queries."""
    steps = cooperation_selectors.deadline_list(user=user).filter(
        due_date__lte=today + datetime.timedelta(days=PANEL_DAYS)
    )[:PANEL_LIMIT]
    own = None if sees_every_cooperation(user) else focal_institution_ids(user)
    groups: dict[int | None, InstitutionSteps] = {}
    for step in steps:
        step.overdue = step.is_overdue(today)
        institutions: list[Institution | None] = [
            institution for institution in step.responsible_institutions.all() if own is None or institution.pk in own
        ] or [None]
        for institution in institutions:
            key = institution.pk if institution else None
            group = groups.setdefault(key, InstitutionSteps(institution=institution))
            (group.overdue if step.overdue else group.upcoming).append(step)
    return sorted(groups.values(), key=lambda group: (group.institution is None, group.label.lower()))


def questions_waiting(*, user: User, today: datetime.date) -> list[WaitingQuestion]:
    """Questions not answered yet in the cooperations the user sees, longest waiting first."""
    from django.db.models import F

    questions = list(
        Question.objects.filter(
            cooperation__in=cooperation_selectors.cooperation_visible(user=user), status=Question.Status.SENT
        )
        .select_related("cooperation", "asked_by")
        .order_by(F("sent_on").asc(nulls_last=True), "cooperation__short_name", "number")[:PANEL_LIMIT]
    )
    return [
        WaitingQuestion(question=question, waiting_days=(today - question.sent_on).days if question.sent_on else None)
        for question in questions
    ]


def recordings_expiring(*, user: User, today: datetime.date) -> list[ExpiringRecording]:
    """Sessions whose recording stops being available between today and RECORDING_DAYS later."""
    sessions = list(
        Session.objects.filter(
            cooperation__in=cooperation_selectors.cooperation_visible(user=user),
            recording_available_until__range=(today, today + datetime.timedelta(days=RECORDING_DAYS)),
        )
        .exclude(recording_url="")
        .select_related("cooperation")
        .order_by("recording_available_until", "pk")[:PANEL_LIMIT]
    )
    return [
        ExpiringRecording(session=session, days_left=(session.recording_available_until - today).days)
        for session in sessions
        if session.recording_available_until is not None
    ]


def _latest(queryset: QuerySet, column: str) -> Subquery:
    return Subquery(queryset.order_by().values(column)[:1], output_field=DateTimeField())


def cooperations_inactive(*, user: User, now: datetime.datetime) -> list[IdleCooperation]:
    """Cooperations not closed in which nothing was recorded for INACTIVE_DAYS: no change to the
    record or any of its parts (their history), no deliverable uploaded, no answer written. One
    query."""
    last_changes = [
        Coalesce(
            Subquery(
                Cooperation.history.model.objects.filter(id=OuterRef("pk"))
                .order_by()
                .values("id")
                .annotate(last=Max("history_date"))
                .values("last")[:1],
                output_field=DateTimeField(),
            ),
            "updated_at",
        )
    ]
    for part in TRACKED_PARTS:
        history = part.history.model  # django-simple-history
        last_changes.append(
            Coalesce(
                Subquery(
                    history.objects.filter(cooperation_id=OuterRef("pk"))
                    .order_by()
                    .values("cooperation_id")
                    .annotate(last=Max("history_date"))
                    .values("last")[:1],
                    output_field=DateTimeField(),
                ),
                "updated_at",
            )
        )
    for model, path, column in (
        (DeliverableVersion, "deliverable__cooperation", "uploaded_at"),
        (AnswerVersion, "question__cooperation", "answered_at"),
    ):
        last_changes.append(
            Coalesce(
                Subquery(
                    model.objects.filter(**{path: OuterRef("pk")})
                    .order_by()
                    .values(path)
                    .annotate(last=Max(column))
                    .values("last")[:1],
                    output_field=DateTimeField(),
                ),
                "updated_at",
            )
        )
    cooperations = list(
        cooperation_selectors.cooperation_visible(user=user)
        .exclude(status=Cooperation.Status.CLOSED)
        .annotate(last_activity=Greatest(*last_changes))
        .filter(last_activity__lt=now - datetime.timedelta(days=INACTIVE_DAYS))
        .order_by("last_activity", "short_name")[:PANEL_LIMIT]
    )
    return [
        IdleCooperation(
            cooperation=cooperation,
            last_activity=cooperation.last_activity,
            idle_days=(now - cooperation.last_activity).days,
        )
        for cooperation in cooperations
    ]


def cooperation_panel(*, user: User, now: datetime.datetime | None = None) -> CooperationPanel:
    now = now or timezone.now()
    today = cooperation_selectors.user_today(user=user, now=now)
    return CooperationPanel(
        today=today,
        steps=steps_by_institution(user=user, today=today),
        sessions=cooperation_selectors.upcoming_sessions(user=user, today=today, days=PANEL_DAYS, limit=PANEL_LIMIT),
        questions=questions_waiting(user=user, today=today),
        recordings=recordings_expiring(user=user, today=today),
        inactive=cooperations_inactive(user=user, now=now),
        sees_everything=sees_every_cooperation(user),
    )


# --- PFC panel -------------------------------------------------------------------------------------

PARTICIPATION_BANDS = 4  # colours of the map above «no participation»


def _band(servants: int, most: int) -> int:
    """0 for no servant reached, else 1..PARTICIPATION_BANDS by the share of the region that
    reached most (quarters)."""
    if not servants or not most:
        return 0
    return min(PARTICIPATION_BANDS, 1 + (servants * PARTICIPATION_BANDS - 1) // most)


def band_legend(most: int) -> list[dict[str, Any]]:
    """The map's legend: the servants each colour stands for."""
    legend = [{"band": 0, "low": 0, "high": 0}]
    if most:
        for band in range(1, PARTICIPATION_BANDS + 1):
            low = (band - 1) * most // PARTICIPATION_BANDS + 1
            high = band * most // PARTICIPATION_BANDS
            if high >= low:
                legend.append({"band": band, "low": low, "high": high})
    return legend


ORDERS = ("nombre", "nivel", "participacion")


def plan_panel(*, plan: Plan, period: Bimester, order: str = "nombre") -> dict[str, Any]:
    """The PFC panel of a period, from the monitoring report's snapshot of it, with each
    region's level in the latest published ranking."""
    snapshot = monitoring_snapshot(plan=plan, period=period)
    version, levels = ranking_selectors.latest_levels()
    labels = status_labels()
    components = [
        {
            "number": component["number"],
            "name": component["name"],
            "statuses": [
                {"code": code, "label": labels[code], "count": component["indicator_statuses"].get(code, 0)}
                for code in STATUS_CODES
            ],
            "milestones": [
                {
                    "id": milestone["id"],
                    "number": milestone["number"],
                    "name": milestone["name"],
                    "indicators": [
                        {
                            "name": indicator["name"],
                            "status": indicator["status"],
                            "value_text": indicator["value_text"],
                            "target_text": indicator["target_text"],
                        }
                        for indicator in milestone["indicators"]
                    ],
                }
                for milestone in component["milestones"]
            ],
        }
        for component in snapshot["components"]
    ]
    participation = {row["region"]: row for row in snapshot["participation"]["by_region"]}
    actions = {row["region"]: row for row in snapshot["actions"]["by_region"]}
    most = max((row["servants"] for row in participation.values()), default=0)
    regions = []
    for pk, row in participation.items():
        ranked = levels.get(pk) or {}
        tile = tile_of(row["label"])
        regions.append(
            {
                "id": pk,
                "name": row["label"],
                "servants": row["servants"],
                "present": row["present"],
                "records": row["records"],
                "attendance_rate": row["attendance_rate"],
                "satisfaction": row["satisfaction"],
                "responses": row["responses"],
                "actions": actions.get(pk),
                "band": _band(row["servants"], most),
                "level": ranked.get("level"),
                "level_label": ranked.get("level_label", ""),
                "score": ranked.get("score"),
                "short_name": short_name(row["label"]),
                # Its cell on the tile map (None: a region the map does not place).
                "x": tile[1] * TILE_STEP if tile else None,
                "y": tile[0] * TILE_STEP if tile else None,
            }
        )
    if order == "nivel":
        regions.sort(key=lambda region: (LEVEL_ORDER[region["level"]], -Decimal(region["score"] or 0)))
    elif order == "participacion":
        regions.sort(key=lambda region: -region["servants"])
    return {
        "snapshot": snapshot,
        "summary": snapshot["summary"],
        "components": components,
        "by_unit": snapshot["actions"]["by_unit"],
        "by_region": snapshot["actions"]["by_region"],
        "totals": snapshot["actions"]["totals"],
        "regions": regions,
        "legend": band_legend(most),
        "map": {"width": WIDTH, "height": HEIGHT, "tile": TILE_SIZE, "middle": TILE_SIZE // 2},
        "ranking_version": version,
        "levels": [{"code": code, "label": label} for code, label in Level.choices],
    }


def region_get(*, pk: int) -> Region:
    return get_object_or_404(Region, pk=pk)


def region_panel(*, plan: Plan, period: Bimester, region: Region) -> dict[str, Any]:
    """One region in a period: the actions aimed at it, its row of attendance, satisfaction and
    servants reached (the functions the monitoring report uses) and its latest ranking level."""
    actions = list(
        plan_selectors.period_actions(plan=plan, period=period)
        .filter(target_regions=region)
        .select_related("organisational_unit")
        .order_by("planned_start", "title", "pk")
    )
    participation = plan_selectors.participation_summary(plan=plan, period=period)
    statuses = plan_selectors.action_status_summary(plan=plan, period=period)
    version, levels = ranking_selectors.latest_levels()
    return {
        "actions": actions,
        "participation": next(row for row in participation["by_region"] if row["region"] == region.pk),
        "action_counts": next(row for row in statuses["by_region"] if row["region"] == region.pk),
        "ranking_version": version,
        "ranked": levels.get(region.pk),
    }
