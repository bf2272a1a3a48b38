"""The read-only API (/api/v1/). Every collection lists and filters what the user may see on
the pages, paginated; write methods answer 405 (the view sets have no write actions)."""

import datetime

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from capacity_plan.periods import Bimester
from ranking import selectors as ranking_selectors

from .. import selectors
from ..conditional import ConditionalGetMixin
from ..filters import AttendanceFilter, CooperationFilter, SessionFilter, SurveyFilter, TrainingActionFilter
from ..permissions import CanReadCooperations, CanReadPlan, CanReadRanking
from ..serializers import (
    AttendanceAggregateSerializer,
    CooperationSerializer,
    IndicatorPeriodSerializer,
    RankingVersionSerializer,
    RegionSerializer,
    SessionSerializer,
    SurveyAggregateSerializer,
    TrainingActionSerializer,
)


class CooperationViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Cooperations with their sessions, steps, participants and questions. A focal point's token
    sees only their institution's cooperations (another one answers 404)."""

    serializer_class = CooperationSerializer
    permission_classes = [IsAuthenticated, CanReadCooperations]
    filterset_class = CooperationFilter

    def get_queryset(self):
        return selectors.api_cooperations(user=self.request.user)

    def last_modified(self) -> datetime.datetime | None:
        return selectors.cooperations_last_modified()


class SessionViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Sessions of the cooperations the user sees (never a recording's access code)."""

    serializer_class = SessionSerializer
    permission_classes = [IsAuthenticated, CanReadCooperations]
    filterset_class = SessionFilter

    def get_queryset(self):
        return selectors.api_sessions(user=self.request.user)

    def last_modified(self) -> datetime.datetime | None:
        return selectors.cooperations_last_modified()


class TrainingActionViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """PFC training actions with their sessions (same filters as the list page)."""

    serializer_class = TrainingActionSerializer
    permission_classes = [IsAuthenticated, CanReadPlan]
    filterset_class = TrainingActionFilter

    def get_queryset(self):
        return selectors.api_training_actions()


class AttendanceViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Attendance per training-action session: marks counted by status and the attendance rate."""

    serializer_class = AttendanceAggregateSerializer
    permission_classes = [IsAuthenticated, CanReadPlan]
    filterset_class = AttendanceFilter

    def get_queryset(self):
        return selectors.api_attendance()


class SurveyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Satisfaction surveys per training action: answers and each aspect's average (1–5)."""

    serializer_class = SurveyAggregateSerializer
    permission_classes = [IsAuthenticated, CanReadPlan]
    filterset_class = SurveyFilter

    def get_queryset(self):
        return selectors.api_surveys()


class RegionViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """The 25 regions (G/DRTPE)."""

    serializer_class = RegionSerializer
    permission_classes = [IsAuthenticated, CanReadPlan]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.api_regions()


PERIOD_PARAMETER = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="year-bimester, e.g. 2025-5 (September–October 2025); default: the plan page's period",
)


class IndicatorViewSet(ConditionalGetMixin, viewsets.GenericViewSet):
    """Every indicator of the plan with its value, target and status in one bimonthly period."""

    serializer_class = IndicatorPeriodSerializer
    permission_classes = [IsAuthenticated, CanReadPlan]
    filter_backends: list = []

    @extend_schema(
        parameters=[
            PERIOD_PARAMETER,
            OpenApiParameter("milestone", OpenApiTypes.INT, description="hito number (1–12)"),
            OpenApiParameter("component", OpenApiTypes.INT, description="component number"),
        ]
    )
    def list(self, request: Request) -> Response:
        period = _period(request.query_params.get("period", ""))
        _period_used, rows = selectors.api_indicator_period(period=period)
        for name in ("milestone", "component"):
            value = request.query_params.get(name, "")
            if value:
                if not value.isdigit():
                    raise ValidationError({name: [_("Escriba un número entero.")]})
                rows = [row for row in rows if getattr(row, name) == int(value)]
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page if page is not None else rows, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)


def _period(text: str) -> Bimester | None:
    if not text:
        return None
    try:
        return Bimester.parse(text)
    except ValueError:
        raise ValidationError(
            {"period": [_("Periodo no válido: escriba año-bimestre, p. ej. 2025-5 (septiembre–octubre).")]}
        ) from None


class RankingViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """The regional ranking as published: the latest version of each semester (latest semester
    first), or of one semester with `?semester=2025-1`; each with its method and every region's
    values, score, level and position. Same readers as the ranking pages."""

    serializer_class = RankingVersionSerializer
    permission_classes = [IsAuthenticated, CanReadRanking]
    filter_backends: list = []

    @extend_schema(
        parameters=[OpenApiParameter("semester", OpenApiTypes.STR, description="year-semester, e.g. 2025-1")]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action != "list":  # any published version by its id, not only the latest
            return ranking_selectors.published_version_list()
        text = self.request.query_params.get("semester", "")
        if not text:
            return ranking_selectors.published_versions()
        try:
            semester = ranking_selectors.parse_semester(text)
        except ValueError:
            raise ValidationError(
                {"semester": [_("Semestre no válido: escriba año-semestre, p. ej. 2025-1.")]}
            ) from None
        return ranking_selectors.published_versions(semester=semester)
