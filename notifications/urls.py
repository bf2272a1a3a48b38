from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/abrir/", views.notification_open, name="open"),
    path("leidas/", views.notifications_mark_all_read, name="mark_all_read"),
    path("preferencias/", views.preferences, name="preferences"),
    path("preferencias/<str:token>/", views.signed_preferences, name="signed_preferences"),
    path("baja/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
