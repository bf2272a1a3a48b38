from django.urls import path

from . import views

app_name = "ranking"

urlpatterns = [
    path("", views.ranking_list, name="list"),
    path("<int:pk>/", views.ranking_detail, name="detail"),
    path("<int:pk>/editar/", views.ranking_edit, name="edit"),
    path("<int:pk>/importar/", views.ranking_import, name="import"),
    path("<int:pk>/publicar/", views.ranking_publish, name="publish"),
    path("versiones/<int:pk>/", views.version_detail, name="version"),
    path("versiones/<int:pk>/pdf/", views.version_download, name="version_download"),
]
