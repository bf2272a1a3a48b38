from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.cooperation_panel, name="cooperations"),
    path("pfc/", views.plan_panel, name="plan"),
    path("pfc/regiones/<int:pk>/", views.region_panel, name="region"),
]
