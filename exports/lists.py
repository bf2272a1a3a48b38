"""The lists that download as CSV and XLSX: for each, its address (`name`), its file's name, who
may export it (the list page's own permission), its columns (a resource) and its rows (a
selector scoped to the user). Adding a list is one entry here, a resource and a selector; the
views, the background jobs and the buttons (templates/exports/_buttons.html) need nothing more.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from capacity_plan.permissions import SEE_PLAN
from cooperations.permissions import COOPERATIONS_AREA
from ranking.permissions import SEE_RANKING

from . import resources, selectors


@dataclass(frozen=True)
class ExportList:
    name: str  # in the address: /exportaciones/<name>/<format>/
    title: Promise  # the sheet's title and the pages' wording
    file_stem: str  # acciones-formativas → acciones-formativas-2026-12-02.xlsx
    permission: str
    resource: type[resources.ExportResource]
    rows: Callable[..., selectors.Selection]

    def select(self, *, user: User, filters: Mapping[str, Any]) -> selectors.Selection:
        return self.rows(user=user, filters=filters)


EXPORT_LISTS: dict[str, ExportList] = {
    entry.name: entry
    for entry in (
        ExportList(
            "cooperaciones",
            _("Cooperaciones"),
            "cooperaciones",
            COOPERATIONS_AREA,
            resources.CooperationResource,
            selectors.cooperation_rows,
        ),
        ExportList(
            "pasos", _("Pasos y plazos"), "pasos", COOPERATIONS_AREA, resources.StepResource, selectors.step_rows
        ),
        ExportList(
            "plazos",
            _("Plazos pendientes"),
            "plazos",
            COOPERATIONS_AREA,
            resources.StepResource,
            selectors.deadline_rows,
        ),
        ExportList(
            "participantes",
            _("Participantes"),
            "participantes",
            COOPERATIONS_AREA,
            resources.ParticipantResource,
            selectors.participant_rows,
        ),
        ExportList(
            "preguntas",
            _("Preguntas"),
            "preguntas",
            COOPERATIONS_AREA,
            resources.QuestionResource,
            selectors.question_rows,
        ),
        ExportList(
            "acciones",
            _("Acciones formativas"),
            "acciones-formativas",
            SEE_PLAN,
            resources.TrainingActionResource,
            selectors.action_rows,
        ),
        ExportList(
            "asistencia",
            _("Asistencia"),
            "asistencia",
            SEE_PLAN,
            resources.AttendanceResource,
            selectors.attendance_rows,
        ),
        ExportList(
            "encuestas",
            _("Encuestas de satisfacción"),
            "encuestas-satisfaccion",
            SEE_PLAN,
            resources.SurveyResource,
            selectors.survey_rows,
        ),
        ExportList(
            "indicadores",
            _("Indicadores del periodo"),
            "indicadores",
            SEE_PLAN,
            resources.IndicatorResource,
            selectors.indicator_rows,
        ),
        ExportList(
            "ranking",
            _("Ranking de desempeño regional"),
            "ranking-regional",
            SEE_RANKING,
            resources.RankingResource,
            selectors.ranking_rows,
        ),
    )
}


def export_list_get(name: str) -> ExportList:
    try:
        return EXPORT_LISTS[name]
    except KeyError as error:
        raise Http404 from error
