from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "email_status", "attempts", "sent_at", "read_at")
    list_filter = ("email_status", "kind", "created_at")
    search_fields = ("recipient__username", "recipient__email", "key")
    readonly_fields = [field.name for field in Notification._meta.fields if field.name != "email_status"]
    list_select_related = ("recipient",)
    actions = ["retry_email"]

    def has_add_permission(self, request):
        return False  # written by the application only

    @admin.action(description=_("Reintentar el correo"))
    def retry_email(self, request, queryset):
        from .services import _enqueue

        ids = list(queryset.filter(email_status=Notification.EmailStatus.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(email_status=Notification.EmailStatus.PENDING, attempts=0)
        _enqueue(ids)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "enabled", "digest")
    list_filter = ("kind", "enabled", "digest")
    search_fields = ("user__username",)
