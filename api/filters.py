"""Filters of the API's collections (django-filter, in the query string). The cooperations and
training actions take the same filters as their list pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from capacity_plan.filters import TrainingActionFilter
from capacity_plan.models import ActionSession, TrainingAction
from cooperations.filters import CooperationFilter
from cooperations.models import Session

__all__ = [
    "AttendanceFilter",
    "CooperationFilter",
    "SessionFilter",
    "SurveyFilter",
    "TrainingActionFilter",
]


class SessionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("Desde"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Hasta"), field_name="date", lookup_expr="lte")

    class Meta:
        model = Session
        fields = ["cooperation", "status", "kind", "date_from", "date_to"]


class AttendanceFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(label=_("Desde"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Hasta"), field_name="date", lookup_expr="lte")
    milestone = django_filters.NumberFilter(label=_("Hito"), field_name="action__milestone__number")

    class Meta:
        model = ActionSession
        fields = ["action", "date_from", "date_to", "milestone"]


class SurveyFilter(django_filters.FilterSet):
    start_from = django_filters.DateFilter(label=_("Desde"), field_name="planned_start", lookup_expr="gte")
    start_to = django_filters.DateFilter(label=_("Hasta"), field_name="planned_start", lookup_expr="lte")
    milestone = django_filters.NumberFilter(label=_("Hito"), field_name="milestone__number")

    class Meta:
        model = TrainingAction
        fields = ["kind", "organisational_unit", "start_from", "start_to", "milestone"]
