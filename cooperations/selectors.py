"""Reads scoped to a user. Every list does its joins here, so pages keep a constant number of
queries whatever the data size (tests pin the counts)."""

import datetime
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rial_site.db import count_subquery

from .filters import CooperationFilter
from .models import (
    AnswerVersion,
    Cooperation,
    Deliverable,
    DeliverableVersion,
    FocalPoint,
    Institution,
    MethodologyStep,
    Participation,
    Question,
    Session,
    SpecificObjective,
    Step,
)
from .permissions import focal_institution_ids, is_editor, sees_every_cooperation


def cooperation_visible(*, user: User) -> QuerySet[Cooperation]:
    """The cooperations the user may see: all for OEA staff, managers and administrators; the
    ones of their institution for focal points; none for anybody else."""
    queryset = Cooperation.objects.all()
    if sees_every_cooperation(user):
        return queryset
    ids = focal_institution_ids(user)
    if not ids:
        return queryset.none()
    return queryset.for_institutions(ids)


def cooperation_is_followed(*, cooperation: Cooperation, user: User) -> bool:
    return cooperation.followers.filter(pk=user.pk).exists()


@dataclass
class CooperationListing:
    """The list page's cooperations and the bound filter form that chose them."""

    filter: CooperationFilter
    cooperations: QuerySet[Cooperation]


def cooperation_list(*, user: User, filters: Mapping[str, Any] | None = None) -> CooperationListing:
    """The cooperations the user sees, narrowed by `filters` (the list page's query string)
    when they are valid; invalid filters narrow nothing, and the form shows their errors."""
    queryset = (
        cooperation_visible(user=user)
        .select_related(
            "call",
            "requesting_institution__country",
            "providing_institution__country",
        )
        .annotate(
            session_count=count_subquery(Session.objects.all(), "cooperation"),
            participant_count=count_subquery(Participation.objects.all(), "cooperation"),
        )
    )
    cooperation_filter = CooperationFilter(filters or None, queryset=queryset)
    if cooperation_filter.is_bound and cooperation_filter.is_valid():
        queryset = cooperation_filter.filter_queryset(queryset)
    return CooperationListing(filter=cooperation_filter, cooperations=queryset.order_by("-call__number", "short_name"))


def cooperation_get(*, user: User, pk: int) -> Cooperation:
    """One cooperation the user may see, or 404 (another institution's record is not revealed)."""
    cooperation = (
        cooperation_visible(user=user)
        .select_related(
            "call",
            "requesting_institution__country",
            "providing_institution__country",
        )
        .filter(pk=pk)
        .first()
    )
    if cooperation is None:
        raise Http404
    return cooperation


def cooperations_for_report() -> QuerySet[Cooperation]:
    """Cooperations with what their summaries need, for jobs and commands (no user: the caller
    checked permission when the job was requested)."""
    return Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    )


def cooperation_get_for_report(*, pk: int) -> Cooperation:
    """Raises Cooperation.DoesNotExist."""
    return cooperations_for_report().get(pk=pk)


@dataclass
class DelegationGroup:
    name: str
    institutions: "OrderedDict[str, list[Participation]]" = field(default_factory=OrderedDict)

    @property
    def size(self) -> int:
        return sum(len(people) for people in self.institutions.values())


@dataclass
class ObjectiveQuestions:
    objective: SpecificObjective
    questions: list[Question]


class SessionRow(TypedDict):
    session: Session
    times: list[dict[str, Any]]  # Session.times_in: the session's times in each country's zone
    steps: list[Step]  # the steps due after this session


@dataclass
class CooperationRecord:
    cooperation: Cooperation
    objectives: list[SpecificObjective]
    methodology: list[MethodologyStep]
    sessions: list[SessionRow]
    steps_before_sessions: list[Step]
    steps: list[Step]  # all of them, in the page's order (the same objects as above)
    delegations: list[DelegationGroup]
    question_groups: list[ObjectiveQuestions]
    deliverables: list[Deliverable]

    # For the page's table of contents (counts of what is already loaded, no query).
    @property
    def participant_count(self) -> int:
        return sum(group.size for group in self.delegations)

    @property
    def question_count(self) -> int:
        return sum(len(group.questions) for group in self.question_groups)


def cooperation_record(*, cooperation: Cooperation, today: datetime.date | None = None) -> CooperationRecord:
    """Everything the detail page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    countries = cooperation.countries
    objectives = list(cooperation.objectives.all())
    methodology = list(cooperation.methodology_steps.all())
    sessions = list(cooperation.sessions.all())
    steps = list(cooperation.steps.prefetch_related("responsible_institutions"))
    participations = list(cooperation.participations.select_related("person", "institution", "delegation"))
    questions = list(
        Question.objects.filter(cooperation=cooperation).select_related("objective", "asked_by", "answered_in_session")
    )
    deliverables = list(
        cooperation.deliverables.select_related("institution").prefetch_related(
            Prefetch("versions", queryset=DeliverableVersion.objects.select_related("uploaded_by"))
        )
    )

    steps_by_session: dict[int | None, list[Step]] = {}
    for step in steps:
        step.overdue = step.is_overdue(today)
        steps_by_session.setdefault(step.after_session_id, []).append(step)
    session_rows = [
        SessionRow(session=session, times=session.times_in(countries), steps=steps_by_session.get(session.pk, []))
        for session in sessions
    ]

    delegations = _group_by_delegation(cooperation, participations)

    questions_by_objective: dict[int, list[Question]] = {}
    for question in questions:
        question.cooperation = cooperation  # answers Question.addressed_to without a query
        questions_by_objective.setdefault(question.objective_id, []).append(question)
    question_groups = [
        ObjectiveQuestions(objective, questions_by_objective[objective.pk])
        for objective in objectives
        if objective.pk in questions_by_objective
    ]

    return CooperationRecord(
        cooperation=cooperation,
        objectives=objectives,
        methodology=methodology,
        sessions=session_rows,
        steps_before_sessions=steps_by_session.get(None, []),
        # Every step in the order the page shows them: before the first session, then by session.
        steps=steps_by_session.get(None, []) + [step for row in session_rows for step in row["steps"]],
        delegations=delegations,
        question_groups=question_groups,
        deliverables=deliverables,
    )


def _group_by_delegation(cooperation: Cooperation, participations: list[Participation]) -> list[DelegationGroup]:
    """Participants by delegation (requesting country, providing country, then the OEA), and
    within each by institution, in the order they were entered."""
    order = {country.pk: index for index, country in enumerate(cooperation.countries)}

    def delegation_key(participation: Participation) -> tuple[int, str]:
        delegation = participation.delegation  # loaded with the participation, or None without a query
        if delegation is None:
            return (len(order) + 1, "")
        return (order.get(delegation.pk, len(order)), delegation.name)

    groups = []
    for _key, group_members in groupby(
        sorted(participations, key=lambda p: (delegation_key(p), p.order, p.pk)), key=delegation_key
    ):
        members = list(group_members)
        first = members[0]
        group = DelegationGroup(name=first.delegation.name if first.delegation else "OEA")
        for participation in members:
            group.institutions.setdefault(participation.institution.name, []).append(participation)
        groups.append(group)
    return groups


def deadline_list(*, user: User, include_done: bool = False) -> QuerySet[Step]:
    """Dated steps of the cooperations the user sees; a focal point sees those its institution is
    responsible for (alone or with others)."""
    queryset = (
        Step.objects.filter(
            cooperation__in=cooperation_visible(user=user),
            due_date__isnull=False,
        )
        .select_related("cooperation", "after_session")
        .prefetch_related("responsible_institutions")
    )
    if not sees_every_cooperation(user):
        responsible = Step.responsible_institutions.through.objects.filter(
            institution__in=focal_institution_ids(user)
        ).values("step")
        queryset = queryset.filter(pk__in=responsible)
    if not include_done:
        queryset = queryset.filter(done=False)
    return queryset.order_by("due_date", "pk")


def calendar_items(*, cooperations: QuerySet[Cooperation]) -> tuple[list[Session], list[Step]]:
    """Sessions with a date and steps with a deadline of the given cooperations."""
    sessions = list(
        Session.objects.filter(cooperation__in=cooperations)
        .exclude(date__isnull=True, starts_at__isnull=True)
        .select_related("cooperation")
        .order_by("cooperation", "order")
    )
    steps = list(
        Step.objects.filter(cooperation__in=cooperations, due_date__isnull=False)
        .select_related("cooperation")
        .prefetch_related("responsible_institutions")
    )
    return sessions, steps


def question_get(*, user: User, pk: int) -> Question:
    question = (
        Question.objects.select_related(
            "cooperation__requesting_institution",
            "cooperation__providing_institution",
            "objective",
            "asked_by",
        )
        .filter(pk=pk, cooperation__in=cooperation_visible(user=user))
        .first()
    )
    if question is None:
        raise Http404
    return question


def answer_versions(*, question: Question) -> QuerySet[AnswerVersion]:
    """A question's saved answers, newest first."""
    return question.answer_versions.select_related("answered_by")


def answer_version_get(*, user: User, pk: int) -> AnswerVersion:
    version = (
        AnswerVersion.objects.select_related("question__cooperation")
        .filter(pk=pk, question__cooperation__in=cooperation_visible(user=user))
        .first()
    )
    if version is None:
        raise Http404
    return version


def deliverable_get(*, user: User, pk: int) -> Deliverable:
    deliverable = (
        Deliverable.objects.select_related("cooperation", "institution")
        .filter(pk=pk, cooperation__in=cooperation_visible(user=user))
        .first()
    )
    if deliverable is None:
        raise Http404
    return deliverable


def deliverable_version_get(*, user: User, pk: int) -> DeliverableVersion:
    version = (
        DeliverableVersion.objects.select_related("deliverable__cooperation")
        .filter(pk=pk, deliverable__cooperation__in=cooperation_visible(user=user))
        .first()
    )
    if version is None:
        raise Http404
    return version


def deliverable_versions(*, deliverable: Deliverable) -> QuerySet[DeliverableVersion]:
    return deliverable.versions.select_related("uploaded_by")


def session_get(*, cooperation: Cooperation, pk: int) -> Session:
    """One session of a cooperation the caller already looked up for the user, or 404."""
    session = Session.objects.filter(pk=pk, cooperation=cooperation).first()
    if session is None:
        raise Http404
    return session


@dataclass
class SessionDependents:
    """What refers to a session and would lose it if it were deleted."""

    questions: list[Question]  # answered in it
    steps: list[Step]  # to be done after it

    def __bool__(self) -> bool:
        return bool(self.questions or self.steps)


def session_dependents(*, session: Session) -> SessionDependents:
    return SessionDependents(
        questions=list(Question.objects.filter(answered_in_session=session).order_by("objective__order", "number")),
        steps=list(Step.objects.filter(after_session=session).order_by("order", "pk")),
    )


def session_new(*, cooperation: Cooperation) -> Session:
    """An unsaved session numbered after the cooperation's last one, its times in the
    organiser's (requesting country's) zone."""
    last_order = cooperation.sessions.order_by("-order").values_list("order", flat=True).first() or 0
    zone = cooperation.countries[0].time_zone if cooperation.countries else "America/Lima"
    return Session(cooperation=cooperation, order=last_order + 1, time_zone=zone)


def step_get(*, cooperation: Cooperation, pk: int) -> Step:
    step = Step.objects.prefetch_related("responsible_institutions").filter(pk=pk, cooperation=cooperation).first()
    if step is None:
        raise Http404
    return step


def deliverable_institutions(*, user: User, cooperation: Cooperation) -> QuerySet[Institution]:
    """The institutions a user may register a deliverable for: OEA staff (and administrators)
    either institution or the OEA; a focal point only their own."""
    both = [cooperation.requesting_institution_id, cooperation.providing_institution_id]
    if is_editor(user):
        return Institution.objects.filter(Q(pk__in=both) | Q(kind=Institution.Kind.OAS))
    return Institution.objects.filter(pk__in=set(both) & focal_institution_ids(user))


# --- The home page: what needs the user's attention today -------------------------------------
# Each function takes the user's `today` (in their own country's zone, user_today) and returns
# a short list in a fixed number of queries; the home page shows at most `limit` rows of each.

ATTENTION_DAYS = 14  # sessions and deadlines within the next two weeks
DELIVERABLE_DAYS = 30  # deliverables due within the next month
ATTENTION_LIMIT = 8


def user_today(*, user: User, now: datetime.datetime | None = None) -> datetime.date:
    """The day `now` (by default, this moment) falls on where the user works: in the zone of a
    focal point's institution's country, otherwise in the application's zone (TIME_ZONE)."""
    now = now or timezone.now()
    if focal_institution_ids(user):
        link = FocalPoint.objects.select_related("institution__country").filter(user=user).first()
        country = link.institution.country if link else None
        if country is not None:
            return timezone.localdate(now, timezone=country.zone)
    return timezone.localdate(now)


@dataclass
class UpcomingSession:
    session: Session
    times: list[dict[str, Any]]  # Session.times_in: the session's times in each country's zone


def upcoming_sessions(
    *, user: User, today: datetime.date, days: int = ATTENTION_DAYS, limit: int = ATTENTION_LIMIT
) -> list[UpcomingSession]:
    """Programmed sessions of the cooperations the user sees whose day (in the organiser's zone)
    falls between today and `days` later, soonest first."""
    sessions = (
        Session.objects.filter(
            cooperation__in=cooperation_visible(user=user),
            status=Session.Status.PLANNED,
            date__range=(today, today + datetime.timedelta(days=days)),
        )
        .select_related("cooperation__requesting_institution__country", "cooperation__providing_institution__country")
        .order_by("date", "starts_at", "pk")[:limit]
    )
    return [UpcomingSession(session=s, times=s.times_in(s.cooperation.countries)) for s in sessions]


def steps_due(
    *, user: User, today: datetime.date, days: int = ATTENTION_DAYS, limit: int = ATTENTION_LIMIT
) -> list[Step]:
    """The user's pending deadlines (deadline_list) that are overdue or due within `days`."""
    steps = list(deadline_list(user=user).filter(due_date__lte=today + datetime.timedelta(days=days))[:limit])
    for step in steps:
        step.overdue = step.is_overdue(today)
    return steps


def _addressed_to(ids: frozenset[int]) -> Q:
    """Questions the institutions `ids` must answer (Question.addressed_to, in SQL)."""
    asked_by_provider = Q(asked_by=F("cooperation__providing_institution"))
    return (asked_by_provider & Q(cooperation__requesting_institution__in=ids)) | (
        ~asked_by_provider & Q(cooperation__providing_institution__in=ids)
    )


def unanswered_questions_by_cooperation(*, user: User) -> list[Cooperation]:
    """Cooperations with questions still unanswered, each annotated with `unanswered`: all of
    them for those who see every cooperation, those addressed to their institution for a focal
    point."""
    questions = Question.objects.filter(status=Question.Status.SENT)
    if not sees_every_cooperation(user):
        questions = questions.filter(_addressed_to(focal_institution_ids(user)))
    return list(
        cooperation_visible(user=user)
        .annotate(unanswered=count_subquery(questions, "cooperation"))
        .filter(unanswered__gt=0)
        .order_by("-unanswered", "short_name")
    )


def deliverables_due(
    *, user: User, today: datetime.date, days: int = DELIVERABLE_DAYS, limit: int = ATTENTION_LIMIT
) -> list[Deliverable]:
    """Deliverables of the focal point's institution with a due date up to `days` from today
    (or past) and no file uploaded yet, soonest first; each with `overdue` set."""
    deliverables: list[Deliverable] = list(
        Deliverable.objects.filter(
            cooperation__in=cooperation_visible(user=user),
            institution__in=focal_institution_ids(user),
            due_date__lte=today + datetime.timedelta(days=days),
        )
        .annotate(version_count=count_subquery(DeliverableVersion.objects.all(), "deliverable"))
        .filter(version_count=0)
        .select_related("cooperation")
        .order_by("due_date", "pk")[:limit]
    )
    for deliverable in deliverables:
        deliverable.overdue = deliverable.due_date is not None and deliverable.due_date < today
    return deliverables


# --- Notifications: what the daily job (send_due_notifications) finds due ---------------------

SESSION_RELATIONS = (
    "cooperation__requesting_institution__country",
    "cooperation__providing_institution__country",
)


def sessions_on(*, day: datetime.date) -> QuerySet[Session]:
    """Programmed sessions whose day (in the organiser's zone) is `day`: the reminder the day
    before goes to their participants."""
    return (
        Session.objects.filter(status=Session.Status.PLANNED, date=day)
        .select_related(*SESSION_RELATIONS)
        .order_by("starts_at", "pk")
    )


def recordings_expiring(*, today: datetime.date, days: int) -> QuerySet[Session]:
    """Sessions whose recording link stops working within `days` from today (its last day
    included): the focal points are told to download it. A day the job did not run is caught up
    the next day, until the link expires."""
    return (
        Session.objects.exclude(recording_url="")
        .filter(recording_available_until__range=(today, today + datetime.timedelta(days=days)))
        .select_related(*SESSION_RELATIONS)
        .order_by("recording_available_until", "pk")
    )
