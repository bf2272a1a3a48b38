from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notificaciones")

    def ready(self):
        # Each app declares its kinds and collectors in <app>/notifications.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("notifications")
