"""What each exported list contains: one django-import-export resource per list, its columns in
order with their Spanish (translatable) headers. Exports ask for native values
(`force_native_type`), so dates stay dates and numbers numbers; exports.writers turns them into
cells. Values that need more than an attribute come from `dehydrate_<column>` methods, which read
only what the list's selector loaded (select_related / prefetch_related), never a query per row."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from capacity_plan.models import SurveyAspect
from ranking.models import Dimension

NATIVE = {"force_native_type": True}


def text(attribute: str | None, label: Any) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.Widget())


def number(attribute: str | None, label: Any) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.NumberWidget())


def date(attribute: str | None, label: Any) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.DateWidget())


def moment(attribute: str | None, label: Any) -> fields.Field:
    """A date and time, in the country's zone (the current time zone)."""
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.DateTimeWidget())


def yes_no(attribute: str | None, label: Any) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=label, widget=widgets.BooleanWidget())


def computed(label: Any) -> fields.Field:
    """A column filled by the resource's dehydrate_<name> method."""
    return fields.Field(column_name=label)


class ExportResource(resources.Resource):
    def headers(self) -> list[str]:
        return self.get_export_headers()

    def row(self, instance: Any) -> list[Any]:
        return self.export_resource(instance, **NATIVE)


# --- RIAL cooperations --------------------------------------------------------------------------


class CooperationResource(ExportResource):
    call = text("call", _("Convocatoria"))
    year = number("call__year", _("Año"))
    short_name = text("short_name", _("Nombre corto"))
    title = text("title", _("Título"))
    requesting_institution = text("requesting_institution", _("Institución solicitante"))
    requesting_country = text("requesting_institution__country", _("País solicitante"))
    providing_institution = text("providing_institution", _("Institución que comparte su experiencia"))
    providing_country = text("providing_institution__country", _("País que comparte su experiencia"))
    topic = text("topic", _("Temática"))
    modality = text("get_modality_display", _("Modalidad"))
    status = text("get_status_display", _("Estado"))
    session_count = number("session_count", _("Sesiones"))
    participant_count = number("participant_count", _("Participantes"))
    version_date = date("version_date", _("Fecha de la versión"))
    updated_at = moment("updated_at", _("Actualizada el"))


class StepResource(ExportResource):
    cooperation = text("cooperation__short_name", _("Cooperación"))
    after_session = computed(_("Después de la sesión"))
    order = number("order", _("Orden"))
    text_ = text("text", _("Paso"))
    responsible = computed(_("Responsables"))
    due_date = date("due_date", _("A más tardar el"))
    done = yes_no("done", _("Cumplido"))

    def dehydrate_after_session(self, step: Any) -> str:
        return step.after_session.display_title if step.after_session else str(_("Antes de la primera sesión"))

    def dehydrate_responsible(self, step: Any) -> str:
        return ", ".join(institution.short_name for institution in step.responsible_institutions.all())


class ParticipantResource(ExportResource):
    cooperation = text("cooperation__short_name", _("Cooperación"))
    delegation = computed(_("Delegación"))
    institution = text("institution", _("Institución"))
    full_name = text("person__full_name", _("Nombre"))
    position = text("position", _("Cargo"))
    note = text("note", _("Nota"))

    def dehydrate_delegation(self, participation: Any) -> str:
        return participation.delegation.name if participation.delegation else str(_("OEA"))


class QuestionResource(ExportResource):
    cooperation = text("cooperation__short_name", _("Cooperación"))
    objective = text("objective", _("Objetivo específico"))
    number_ = number("number", _("Número"))
    text_ = text("text", _("Pregunta"))
    sub_items = text("sub_items", _("Subpreguntas"))
    asked_by = text("asked_by__short_name", _("Formulada por"))
    sent_on = date("sent_on", _("Enviada el"))
    status = text("get_status_display", _("Estado"))
    answered_in_session = text("answered_in_session", _("Respondida en la sesión"))
    written_answer = text("written_answer", _("Respuesta escrita"))
    answered_at = moment("answered_at", _("Respondida el"))


# --- PFC 2025 -----------------------------------------------------------------------------------


class TrainingActionResource(ExportResource):
    pk = number("pk", _("N.º"))
    title = text("title", _("Título"))
    kind = text("get_kind_display", _("Tipo"))
    organisational_unit = text("organisational_unit__acronym", _("Unidad orgánica"))
    theme = text("theme__name", _("Temática"))
    milestone = number("milestone__number", _("Hito"))
    programmed = yes_no("programmed", _("Programada"))
    status = text("get_status_display", _("Estado"))
    modality = text("get_modality_display", _("Modalidad"))
    hours = number("hours", _("Horas"))
    planned_start = date("planned_start", _("Inicio programado"))
    planned_end = date("planned_end", _("Fin programado"))
    original_start = date("original_start", _("Inicio programado original"))
    executed_start = date("executed_start", _("Inicio ejecutado"))
    executed_end = date("executed_end", _("Fin ejecutado"))
    regions = computed(_("Regiones"))
    facilitator = text("facilitator", _("Facilitador/a de la acción"))
    is_demo = yes_no("is_demo", _("Dato de demostración"))

    def dehydrate_regions(self, action: Any) -> str:
        return ", ".join(region.name for region in action.target_regions.all())


class AttendanceResource(ExportResource):
    action_pk = number("session__action_id", _("N.º de acción"))
    action = text("session__action__title", _("Acción formativa"))
    session_date = date("session__date", _("Fecha de la sesión"))
    session_topic = text("session__topic", _("Tema de la sesión"))
    full_name = text("servant__full_name", _("Nombres y apellidos"))
    document_number = text("servant__document_number", _("DNI"))
    region = text("servant__region__name", _("Región"))
    position = text("servant__position", _("Cargo"))
    status = text("get_status_display", _("Asistencia"))


class SurveyResource(ExportResource):
    action_pk = number("action_id", _("N.º de acción"))
    action = text("action__title", _("Acción formativa"))
    submitted_at = moment("submitted_at", _("Respondida el"))
    servant = computed(_("Servidor/a"))
    region = text("servant__region__name", _("Región"))
    clarity = number("clarity", SurveyAspect.CLARITY.label)
    usefulness = number("usefulness", SurveyAspect.USEFULNESS.label)
    materials = number("materials", SurveyAspect.MATERIALS.label)
    facilitator = number("facilitator", SurveyAspect.FACILITATOR.label)
    applicability = number("applicability", SurveyAspect.APPLICABILITY.label)
    average = number("average", _("Promedio"))
    comments = text("comments", _("Comentarios"))

    def dehydrate_servant(self, response: Any) -> str:
        return response.servant.full_name if response.servant_id else str(_("anónima"))


class IndicatorResource(ExportResource):
    """Rows: selectors.IndicatorLine (an indicator's row of the plan page, with its period)."""

    period = text("period__label", _("Periodo"))
    component_number = number("component__number", _("Componente"))
    component = text("component__name", _("Nombre del componente"))
    milestone_number = number("milestone__number", _("Hito"))
    milestone = text("milestone__name", _("Nombre del hito"))
    indicator = text("row__indicator__name", _("Indicador"))
    kind = text("row__indicator__get_kind_display", _("Tipo"))
    unit = text("row__indicator__unit", _("Unidad"))
    baseline = number("row__indicator__baseline", _("Línea de base"))
    target = number("row__indicator__target", _("Meta"))
    value = number("row__value", _("Valor del periodo"))
    status = text("row__status__label", _("Estado"))
    margin = text("row__status__margin", _("Distancia a la meta"))


# --- Regional ranking ---------------------------------------------------------------------------


class RankingResource(ExportResource):
    """Rows: selectors.RankingLine (a region's row in a published version)."""

    region = text("region", _("Región"))
    year = number("year", _("Año"))
    semester = text("semester", _("Semestre"))
    version = number("version", _("Versión"))
    goals = number("goals", Dimension.GOALS.label)
    additional = number("additional", Dimension.ADDITIONAL.label)
    financial = number("financial", Dimension.FINANCIAL.label)
    score = number("score", _("Puntaje"))
    level = text("level", _("Nivel"))
    position = number("position", _("Posición"))
