from django.apps import AppConfig


class CooperationsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'cooperations'
