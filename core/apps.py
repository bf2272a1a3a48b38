from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What the whole site shares and no single app owns: the home page, the health probe, the
    navigation, the language middleware, the seed loader, and the shared form helpers and
    number/date formats."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
