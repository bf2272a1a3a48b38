from django.urls import path

from . import views

app_name = "cooperations"

urlpatterns = [
    path("", views.cooperation_list, name="list"),
    path("nueva/", views.cooperation_create, name="create"),
    path("convocatorias/nueva/", views.call_create, name="call_create"),
    path("plazos/", views.deadline_list, name="deadlines"),
    path("calendario/<str:token>.ics", views.personal_calendar, name="personal_calendar"),
    path("<int:pk>/", views.cooperation_detail, name="detail"),
    path("<int:pk>/editar/", views.cooperation_edit, name="edit"),
    path("<int:pk>/participantes/", views.cooperation_participants_edit, name="participants"),
    path("<int:pk>/pasos/", views.cooperation_steps_edit, name="steps"),
    path("<int:pk>/pasos/<int:step_pk>/cumplido/", views.step_toggle_done, name="step_toggle"),
    path("<int:pk>/sesiones/nueva/", views.session_create, name="session_create"),
    path("<int:pk>/sesiones/<int:session_pk>/", views.session_edit, name="session_edit"),
    path("<int:pk>/sesiones/<int:session_pk>/eliminar/", views.session_delete, name="session_delete"),
    path("<int:pk>/seguir/", views.cooperation_follow, name="follow"),
    path("<int:pk>/historial/", views.cooperation_history, name="history"),
    path("<int:pk>/calendario.ics", views.cooperation_calendar, name="calendar"),
    path("<int:pk>/preguntas/nuevas/", views.questions_submit, name="questions_submit"),
    path("preguntas/<int:question_pk>/responder/", views.question_answer, name="question_answer"),
    path("preguntas/<int:question_pk>/adjunto/", views.question_attachment_download, name="question_attachment"),
    path(
        "respuestas/<int:version_pk>/adjunto/",
        views.answer_version_attachment_download,
        name="answer_version_attachment",
    ),
    path("<int:pk>/entregables/nuevo/", views.deliverable_create, name="deliverable_create"),
    path(
        "entregables/<int:deliverable_pk>/versiones/nueva/",
        views.deliverable_version_upload,
        name="deliverable_version_upload",
    ),
    path("versiones/<int:version_pk>/descargar/", views.deliverable_version_download, name="version_download"),
]
