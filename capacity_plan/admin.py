"""Reference data of the PFC for administrators; the audit trail (history) of indicators,
measurements and attendance is readable here too."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .forms import SurveyAspectsField
from .models import (
    Attendance,
    Component,
    Indicator,
    IndicatorReview,
    Measurement,
    Milestone,
    OrganisationalUnit,
    Plan,
    PublicServant,
    RecordingSlot,
    Region,
    Theme,
    TrainingAction,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "directorate")
    search_fields = ("name",)


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name", "parent")
    list_select_related = ("parent",)
    search_fields = ("acronym", "name")


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "organisational_unit")
    list_select_related = ("organisational_unit",)
    search_fields = ("name",)


@admin.register(RecordingSlot)
class RecordingSlotAdmin(admin.ModelAdmin):
    list_display = ("organisational_unit", "theme_count", "recording_date", "recorded")
    list_select_related = ("organisational_unit",)


@admin.register(Plan, Component)
class PlanStructureAdmin(admin.ModelAdmin):
    pass


@admin.register(Milestone, Measurement, IndicatorReview, Attendance, TrainingAction)
class AuditedAdmin(SimpleHistoryAdmin):
    pass


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    """The survey aspects as the same check boxes as «Meta y cálculo», not as raw JSON."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "survey_aspects":
            return SurveyAspectsField()
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(PublicServant)
class PublicServantAdmin(admin.ModelAdmin):
    list_display = ("full_name", "document_number", "region", "position", "is_demo")
    list_filter = ("region", "is_demo")
    list_select_related = ("region",)
    search_fields = ("full_name", "document_number", "email")
