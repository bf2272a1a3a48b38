from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("cooperations/<int:pk>/", views.summary_versions, name="summaries"),
    path("cooperations/<int:pk>/publish/", views.summary_publish, name="summary_publish"),
    path("cooperations/<int:pk>/reopen/", views.summary_reopen, name="summary_reopen"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/request/", views.monitoring_request, name="monitoring_request"),
    path("monitoring/<int:year>/<int:number>/narrative/", views.monitoring_narrative, name="monitoring_narrative"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="job_retry"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/pdf/", views.version_download, name="version_download"),
    path("versions/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
]
