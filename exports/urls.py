from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("trabajos/<int:pk>/", views.job_detail, name="job"),
    path("trabajos/<int:pk>/descargar/", views.job_download, name="job_download"),
    path("<slug:name>/<slug:file_format>/", views.download, name="download"),
    path("<slug:name>/<slug:file_format>/segundo-plano/", views.request_job, name="request"),
]
