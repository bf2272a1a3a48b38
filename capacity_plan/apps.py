from django.apps import AppConfig


class CapacityPlanConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'capacity_plan'
