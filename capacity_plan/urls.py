from django.urls import path

from . import views
from .views import check_in

app_name = "capacity_plan"

urlpatterns = [
    path("", views.plan_home, name="home"),
    path("hitos/<int:pk>/", views.milestone_detail, name="milestone"),
    path("indicadores/<int:pk>/editar/", views.indicator_edit, name="indicator_edit"),
    path("indicadores/<int:pk>/medicion/", views.indicator_measurement, name="measurement"),
    path("indicadores/<int:pk>/justificacion/", views.indicator_review, name="review"),
    path("mediciones/<int:pk>/evidencia/", views.measurement_evidence, name="measurement_evidence"),
    path("acciones/", views.action_list, name="actions"),
    path("acciones/nueva/", views.action_create, name="action_create"),
    path("acciones/orientacion/", views.guidance, name="guidance"),
    path("acciones/<int:pk>/", views.action_detail, name="action"),
    path("acciones/<int:pk>/editar/", views.action_edit, name="action_edit"),
    path("acciones/<int:pk>/reprogramar/", views.action_reschedule, name="action_reschedule"),
    path("acciones/<int:pk>/cancelar/", views.action_cancel, name="action_cancel"),
    path("acciones/<int:pk>/eliminar/", views.action_delete, name="action_delete"),
    path("acciones/<int:pk>/sesiones/nueva/", views.action_session_create, name="session_create"),
    path("acciones/<int:pk>/encuestas/nueva/", views.survey_response_create, name="survey_create"),
    path("acciones/<int:pk>/encuestas/importar/", views.survey_import, name="survey_import"),
    path("sesiones/<int:pk>/asistencia/", views.attendance_grid, name="attendance"),
    path("sesiones/<int:pk>/asistencia/importar/", views.attendance_import, name="attendance_import"),
    path("sesiones/<int:pk>/registro-por-enlace/", check_in.check_in_manage, name="check_in_manage"),
    path("sesiones/<int:pk>/asistencia/importar-reunion/", views.meeting_attendance_import, name="meeting_import"),
    path("acciones/<int:pk>/registros/", check_in.action_registers, name="action_registers"),
    path("participantes/importar/", views.participants_import, name="participants_import"),
    path("importaciones/<int:pk>/", views.import_job, name="import_job"),
    path("importaciones/<int:pk>/confirmar/", views.import_job_confirm_view, name="import_job_confirm"),
    path("importaciones/<int:pk>/reintentar/", views.import_job_retry_view, name="import_job_retry"),
    path("catalogo/", views.monthly_catalogue, name="catalogue"),
    path("catalogo/pdf/", views.monthly_catalogue_pdf, name="catalogue_pdf"),
    path("catalogo/xlsx/", views.monthly_catalogue_xlsx, name="catalogue_xlsx"),
]
