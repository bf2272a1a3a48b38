"""The rows of each exported list, read through the list page's own selector and FilterSet, so
an export holds exactly what the page lists, scoped to the user the same way (a focal point's
exports hold their institution's cooperations only). And the background export jobs, each
visible to the user who asked for it only."""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from capacity_plan.models import Attendance, SatisfactionResponse
from capacity_plan.periods import Bimester, default_bimester
from capacity_plan.selectors import IndicatorRow, action_search, plan_get, plan_overview
from cooperations.models import Participation, Question, Step
from cooperations.selectors import cooperation_list, deadline_list
from core.collation import spanish_order
from ranking import selectors as ranking_selectors

from .models import ExportJob

# Rows read from the database per round trip while an export is written.
CHUNK_SIZE = 2000


@dataclass
class Selection:
    """The rows of an export, or the reasons the list's filters were refused (a filter the list
    page shows as an error narrows nothing there; an export refuses it rather than export what
    the user did not ask for)."""

    rows: QuerySet | list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Part of the file's name (e.g. the period of the indicators), when the rows have one.
    name_suffix: str = ""

    def count(self) -> int:
        return self.rows.count() if isinstance(self.rows, QuerySet) else len(self.rows)

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.rows, QuerySet):
            return self.rows.iterator(chunk_size=CHUNK_SIZE)
        return iter(self.rows)


def _filter_errors(form: Any) -> list[str]:
    return [
        f"{form.fields[name].label}: {message}" if name in form.fields else str(message)
        for name, messages in form.errors.items()
        for message in messages
    ]


# --- RIAL cooperations: the cooperation list's filters choose the cooperations ---------------


def _cooperations(*, user: User, filters: Mapping[str, Any]) -> tuple[QuerySet | None, list[str]]:
    """The cooperations of the list with these filters; with `cooperacion` (a record page's
    export), that one only, if the user sees it (else none: another's record is not revealed)."""
    listing = cooperation_list(user=user, filters=filters)
    if listing.filter.is_bound and not listing.filter.is_valid():
        return None, _filter_errors(listing.filter.form)
    one = str(filters.get("cooperacion") or "")
    if not one:
        return listing.cooperations, []
    if not one.isdigit():
        return None, [_("Cooperación: el número de la cooperación no es válido.")]
    return listing.cooperations.filter(pk=int(one)), []


def _cooperation_suffix(cooperations: QuerySet, filters: Mapping[str, Any]) -> str:
    """One cooperation's rows are named after it: participantes-peru-paraguay-2026-12-02.xlsx."""
    if not filters.get("cooperacion"):
        return ""
    name = cooperations.values_list("short_name", flat=True).first()
    return slugify(name)[:60] if name else ""


def cooperation_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    cooperations, errors = _cooperations(user=user, filters=filters)
    return Selection(errors=errors) if cooperations is None else Selection(rows=cooperations)


def step_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    cooperations, errors = _cooperations(user=user, filters=filters)
    if cooperations is None:
        return Selection(errors=errors)
    rows = (
        Step.objects.filter(cooperation__in=cooperations.values("pk"))
        .select_related("cooperation", "after_session")
        .prefetch_related("responsible_institutions")
        .order_by("cooperation__short_name", "cooperation_id", "after_session__order", "order", "pk")
    )
    return Selection(rows=rows, name_suffix=_cooperation_suffix(cooperations, filters))


def participant_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    cooperations, errors = _cooperations(user=user, filters=filters)
    if cooperations is None:
        return Selection(errors=errors)
    rows = (
        Participation.objects.filter(cooperation__in=cooperations.values("pk"))
        .select_related("cooperation", "person", "institution", "delegation")
        .order_by("cooperation__short_name", "cooperation_id", "order", "pk")
    )
    return Selection(rows=rows, name_suffix=_cooperation_suffix(cooperations, filters))


def question_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    cooperations, errors = _cooperations(user=user, filters=filters)
    if cooperations is None:
        return Selection(errors=errors)
    rows = (
        Question.objects.filter(cooperation__in=cooperations.values("pk"))
        .select_related("cooperation", "objective", "asked_by", "answered_in_session")
        .order_by("cooperation__short_name", "cooperation_id", "objective__order", "number", "pk")
    )
    return Selection(rows=rows, name_suffix=_cooperation_suffix(cooperations, filters))


def deadline_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    """The pending deadlines of the «Plazos» page (a focal point's: those of their institution)."""
    return Selection(rows=deadline_list(user=user))


# --- PFC 2025: the training action list's filters choose the actions -------------------------


def _actions(*, filters: Mapping[str, Any]) -> tuple[QuerySet | None, list[str]]:
    action_filter, actions = action_search(filters=filters)
    if action_filter.is_bound and not action_filter.is_valid():
        return None, _filter_errors(action_filter.form)
    return actions, []


def action_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    actions, errors = _actions(filters=filters)
    return Selection(errors=errors) if actions is None else Selection(rows=actions.distinct())


def attendance_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    actions, errors = _actions(filters=filters)
    if actions is None:
        return Selection(errors=errors)
    rows = (
        Attendance.objects.filter(session__action__in=actions.values("pk"))
        .select_related("session__action", "servant__region")
        .order_by("session__date", "session__action_id", "session_id", spanish_order("servant__full_name"), "pk")
    )
    return Selection(rows=rows)


def survey_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    actions, errors = _actions(filters=filters)
    if actions is None:
        return Selection(errors=errors)
    rows = (
        SatisfactionResponse.objects.filter(action__in=actions.values("pk"))
        .select_related("action", "servant__region")
        .order_by("action__planned_start", "action_id", "submitted_at", "pk")
    )
    return Selection(rows=rows)


# --- PFC 2025: the indicators of the plan page's period ------------------------------------


@dataclass
class IndicatorLine:
    period: Bimester
    component: Any
    milestone: Any
    row: IndicatorRow


def _period(filters: Mapping[str, Any], plan_year: int) -> Bimester:
    """The period in ?periodo=YYYY-N, or the plan page's default (as the page chooses it)."""
    try:
        period = Bimester.parse(str(filters.get("periodo", "")))
        if period.year == plan_year:
            return period
    except (ValueError, TypeError):
        pass
    return default_bimester(plan_year)


def indicator_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    plan = plan_get()
    if plan is None:
        return Selection()
    period = _period(filters, plan.year)
    lines: Iterable[IndicatorLine] = (
        IndicatorLine(period=period, component=component, milestone=milestone_row.milestone, row=row)
        for component, milestone_rows in plan_overview(plan=plan, period=period)
        for milestone_row in milestone_rows
        for row in milestone_row.indicators
    )
    return Selection(rows=list(lines), name_suffix=period.code)


# --- Regional ranking: the latest published version of each semester (or of one) -----------


@dataclass(frozen=True)
class RankingLine:
    """One region's row in a published version of the ranking, numbers as Decimals."""

    year: int
    semester: str
    version: int
    region: str
    goals: Decimal | None
    additional: Decimal | None
    financial: Decimal | None
    score: Decimal | None
    level: str
    position: int | None


def _number(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def ranking_rows(*, user: User, filters: Mapping[str, Any]) -> Selection:
    """What the ranking pages publish: each semester's latest version, region by region in the
    order of the ranking; `?ranking=<id>` (a ranking's page) or `?semestre=2025-1` narrows it to
    one semester."""
    versions = ranking_selectors.published_versions()
    suffix = ""
    one = str(filters.get("ranking") or "")
    semester = str(filters.get("semestre") or "")
    if one:
        if not one.isdigit():
            return Selection(errors=[_("Ranking: el número del ranking no es válido.")])
        versions = versions.filter(ranking_id=int(one))
    if semester:
        try:
            year, half = ranking_selectors.parse_semester(semester)
        except ValueError:
            return Selection(errors=[_("Semestre: escriba año-semestre, p. ej. 2025-1.")])
        versions = versions.filter(ranking__year=year, ranking__semester=half)
        suffix = f"{year}-s{half}"
    lines = []
    for version in versions:
        ranking = version.ranking
        if one:
            suffix = f"{ranking.year}-s{ranking.semester}"
        for row in version.snapshot["rows"]:
            lines.append(
                RankingLine(
                    year=ranking.year,
                    semester=str(ranking.get_semester_display()),
                    version=version.number,
                    region=row["region_name"],
                    goals=_number(row.get("goals")),
                    additional=_number(row.get("additional")),
                    financial=_number(row.get("financial")),
                    score=_number(row.get("score")),
                    level=row.get("level_label") or "",
                    position=row.get("position"),
                )
            )
    return Selection(rows=lines, name_suffix=suffix)


# --- Background exports -------------------------------------------------------------------------


def export_job_get(*, user: User, pk: int) -> ExportJob:
    """One of the user's export jobs, or 404 (somebody else's is not revealed)."""
    job = ExportJob.objects.filter(pk=pk, requested_by=user).first()
    if job is None:
        raise Http404
    return job


def export_job_for_request(*, request_key: Any) -> ExportJob | None:
    return ExportJob.objects.filter(request_key=request_key).first()


def export_jobs_expired(*, now: datetime.datetime) -> QuerySet[ExportJob]:
    return ExportJob.objects.expired(now=now)
