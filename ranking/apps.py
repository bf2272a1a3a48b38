from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ranking"
    verbose_name = _("Ranking de desempeño regional")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
