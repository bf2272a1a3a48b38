from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("cuenta/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cooperaciones/", include("cooperations.urls")),
    path("pfc/", include("capacity_plan.urls")),
    path("informes/", include("reports.urls")),
    path("notificaciones/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "RIAL · PFC"
admin.site.site_title = "RIAL · PFC"
