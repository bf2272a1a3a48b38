from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"
    verbose_name = _("Paneles")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
