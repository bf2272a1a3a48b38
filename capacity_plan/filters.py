import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import MonthFilter, SearchFilter

from .models import Milestone, OrganisationalUnit, Region, Theme, TrainingAction


class TrainingActionFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Buscar"), field_name="title", lookup_expr="icontains")
    organisational_unit = django_filters.ModelChoiceFilter(
        label=_("Unidad orgánica"), queryset=OrganisationalUnit.objects.all()
    )
    theme = django_filters.ModelChoiceFilter(label=_("Temática"), queryset=Theme.objects.all())
    region = django_filters.ModelChoiceFilter(
        label=_("Región"), field_name="target_regions", queryset=Region.objects.all()
    )
    milestone = django_filters.ModelChoiceFilter(label=_("Hito"), queryset=Milestone.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Tipo"), choices=TrainingAction.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=TrainingAction.Status.choices)
    month = extend_schema_field(OpenApiTypes.STR)(MonthFilter(label=_("Mes"), method="filter_month"))  # YYYY-MM
    programmed = django_filters.BooleanFilter(
        label=_("Programada"),
        widget=forms.Select(choices=[("", "---------"), ("true", _("Programada")), ("false", _("No programada"))]),
    )

    class Meta:
        model = TrainingAction
        fields = ["q", "organisational_unit", "theme", "region", "milestone", "kind", "status", "month", "programmed"]

    def filter_month(self, queryset, name, value):
        return queryset.in_month(value.year, value.month)


class CatalogueFilter(django_filters.FilterSet):
    """The monthly catalogue's choices: the month (empty: the plan's current or next month with
    actions, chosen by the selector) and, for sending it to a region, the region and the UO."""

    mes = MonthFilter(label=_("Mes"), method="keep")
    region = django_filters.ModelChoiceFilter(
        label=_("Región"), field_name="target_regions", queryset=Region.objects.all()
    )
    organisational_unit = django_filters.ModelChoiceFilter(
        label=_("Unidad orgánica"), queryset=OrganisationalUnit.objects.all()
    )

    class Meta:
        model = TrainingAction
        fields = ["mes", "region", "organisational_unit"]

    def keep(self, queryset, name, value):
        return queryset  # the month is applied by the selector, after the default month is chosen
