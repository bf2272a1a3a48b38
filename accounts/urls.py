from django.urls import include, path

from . import views

urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("", include("django.contrib.auth.urls")),
]
