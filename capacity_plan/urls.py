from django.urls import path

from . import views

app_name = "capacity_plan"

urlpatterns = [
    path("", views.home, name="home"),
]
