import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import SearchFilter, search_terms

from .models import Call, Cooperation, Country, Institution


class CooperationFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Buscar"), method="filter_text")
    call = django_filters.ModelChoiceFilter(label=_("Convocatoria"), queryset=Call.objects.all())
    year = django_filters.NumberFilter(label=_("Año"), field_name="call__year")
    # Filters with a method: the API schema is told their type (an id), which it cannot guess.
    country = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(label=_("País"), queryset=Country.objects.all(), method="filter_country")
    )
    institution = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            label=_("Institución"),
            method="filter_institution",
            queryset=Institution.objects.filter(kind__in=[Institution.Kind.MINISTRY, Institution.Kind.MINISTRY_UNIT]),
        )
    )
    status = django_filters.ChoiceFilter(label=_("Estado"), choices=Cooperation.Status.choices)
    topic = SearchFilter(label=_("Temática"), field_name="topic", lookup_expr="icontains")

    class Meta:
        model = Cooperation
        fields = ["q", "call", "year", "country", "institution", "status", "topic"]

    def filter_text(self, queryset, name, value):
        for word in search_terms(value):
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(short_name__icontains=word)
                | Q(topic__icontains=word)
                | Q(description__icontains=word)
                | Q(general_objective__icontains=word)
                | Q(requesting_institution__name__icontains=word)
                | Q(requesting_institution__acronym__iexact=word)
                | Q(providing_institution__name__icontains=word)
                | Q(providing_institution__acronym__iexact=word)
            )
        return queryset

    def filter_country(self, queryset, name, value):
        return queryset.filter(Q(requesting_institution__country=value) | Q(providing_institution__country=value))

    def filter_institution(self, queryset, name, value):
        return queryset.filter(Q(requesting_institution=value) | Q(providing_institution=value))
