from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("acciones/<int:pk>/emitir/", views.action_issue, name="action_issue"),
    path("cooperaciones/<int:pk>/emitir/", views.cooperation_issue, name="cooperation_issue"),
    path("emisiones/<int:pk>/", views.job_detail, name="job"),
    path("emisiones/<int:pk>/zip/", views.job_archive, name="job_archive"),
    path("<int:pk>/pdf/", views.certificate_download, name="download"),
    path("<int:pk>/revocar/", views.certificate_revoke, name="revoke"),
]
