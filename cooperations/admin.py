from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import (
    AnswerVersion,
    Call,
    Cooperation,
    Country,
    Deliverable,
    DeliverableVersion,
    FocalPoint,
    Institution,
    Participation,
    Person,
    Question,
    Session,
    Step,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("name", "iso_code", "time_zone")
    search_fields = ("name", "iso_code")


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "country", "kind", "parent")
    list_filter = ("kind", "country")
    search_fields = ("name", "acronym")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("number", "year")


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ("user", "institution")
    list_select_related = ("user", "institution")
    autocomplete_fields = ("user", "institution")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ("full_name", "email")


@admin.register(Cooperation)
class CooperationAdmin(SimpleHistoryAdmin):
    list_display = ("short_name", "call", "requesting_institution", "providing_institution", "status")
    list_filter = ("status", "call")
    list_select_related = ("call", "requesting_institution", "providing_institution")
    search_fields = ("title", "short_name", "topic")


@admin.register(Session, Step, Question, Deliverable)
class CooperationPartAdmin(SimpleHistoryAdmin):
    list_filter: tuple[str, ...] = ("cooperation",)
    list_select_related: tuple[str, ...] = ("cooperation",)


@admin.register(Participation)
class ParticipationAdmin(CooperationPartAdmin):
    list_select_related = ("cooperation", "person", "institution")  # its name shows both


@admin.register(DeliverableVersion)
class DeliverableVersionAdmin(ReadOnlyAdmin):
    """Read-only: versions are immutable."""

    list_display = ("deliverable", "number", "original_name", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("deliverable", "uploaded_by")


@admin.register(AnswerVersion)
class AnswerVersionAdmin(ReadOnlyAdmin):
    """Read-only: saved answers are immutable."""

    list_display = ("question", "number", "attachment_name", "answered_by", "answered_at")
    list_select_related = ("question", "answered_by")
