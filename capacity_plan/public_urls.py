"""The public pages of self check-in (no account): a session's check-in link and the survey a
participant reaches after checking in. Mounted at the site's root, so the link stays short."""

from django.urls import path

from .views import check_in

app_name = "check_in"

urlpatterns = [
    path("asistencia/<str:token>/", check_in.public_check_in, name="check_in"),
    path("encuesta/<str:ticket>/", check_in.public_survey, name="survey"),
]
