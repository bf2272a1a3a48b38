"""Administrators read report jobs (with the reason of any failure) and versions; nobody edits a
version, and failed jobs (and running ones whose worker stopped) can be queued again from here."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from . import services
from .models import ReportJob, ReportVersion, SummaryComment, SummarySeries


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "kind",
        "subject",
        "status",
        "attempts",
        "trigger",
        "requested_by",
        "requested_at",
        "heartbeat_at",
        "finished_at",
    )
    list_filter = ("kind", "status", "trigger")
    search_fields = ("cooperation__short_name", "error", "label")
    list_select_related = ("cooperation", "requested_by")
    readonly_fields = [field.name for field in ReportJob._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Reintentar los trabajos fallidos o detenidos seleccionados"))
    def retry(self, request, queryset):
        retryable = list(queryset.retryable(now=timezone.now()))
        for job in retryable:
            services.job_retry(job=job, by=request.user)
        self.message_user(request, _("%(n)s trabajos en cola de nuevo.") % {"n": len(retryable)}, messages.SUCCESS)


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "subject", "number", "label", "is_final", "created_by", "created_at", "size")
    list_filter = ("kind", "is_final")
    search_fields = ("cooperation__short_name", "label", "sha256")
    list_select_related = ("cooperation", "created_by")
    exclude = ("snapshot",)
    readonly_fields = [field.name for field in ReportVersion._meta.fields if field.name != "snapshot"]


@admin.register(SummarySeries)
class SummarySeriesAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("cooperation", "is_closed", "changed_by", "changed_at")


@admin.register(SummaryComment)
class SummaryCommentAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    """Comments are written and resolved on the version page (with their permission checks)."""

    list_display = ("pk", "version", "section", "institution", "status", "created_at", "resolved_at", "listed_in")
    list_filter = ("status", "section")
    search_fields = ("version__cooperation__short_name", "text", "resolution")
    list_select_related = ("version__cooperation", "institution", "listed_in__cooperation")
