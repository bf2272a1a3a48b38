"""Administrators read certificates (with their history) and the jobs that issued them; nobody
edits them here: revoking has its own page, with a reason."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin

from .models import Certificate, CertificateJob


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("holder_name", "kind", "title", "status", "issued_at", "revoked_at")
    list_filter = ("kind", "status")
    search_fields = ("holder_name", "title", "code")
    readonly_fields = [field.name for field in Certificate._meta.fields]


@admin.register(CertificateJob)
class CertificateJobAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "kind",
        "status",
        "processed",
        "total",
        "issued",
        "requested_by",
        "requested_at",
        "finished_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("requested_by",)
    readonly_fields = [field.name for field in CertificateJob._meta.fields]
