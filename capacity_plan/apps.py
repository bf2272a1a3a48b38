from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityPlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "capacity_plan"
    verbose_name = _("Plan de Fortalecimiento de Capacidades")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
