from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cooperations"
    verbose_name = _("Cooperaciones RIAL")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
