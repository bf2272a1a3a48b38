from django.contrib import admin
from django.urls import include, path

from certificates import views as certificate_views
from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("cuenta/tokens/", include("api.token_urls")),
    path("cuenta/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cooperaciones/", include("cooperations.urls")),
    path("pfc/", include("capacity_plan.urls")),
    path("informes/", include("reports.urls")),
    path("certificados/", include("certificates.urls")),
    # Public: anyone holding a certificate's code (its QR code) checks it, without an account.
    path("verificar/<str:code>", certificate_views.verify, name="verify_certificate"),
    # Self check-in and its survey (no account): /asistencia/<code>/, /encuesta/<ticket>/.
    path("", include("capacity_plan.public_urls")),
    path("panel/", include("dashboards.urls")),
    path("ranking/", include("ranking.urls")),
    path("api/v1/", include("api.urls")),
    path("exportaciones/", include("exports.urls")),
    path("notificaciones/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "RIAL · PFC"
admin.site.site_title = "RIAL · PFC"
