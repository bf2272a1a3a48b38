"""A training action entered by mistake is deleted by ODES after a confirmation page, with its
empty sessions; its history keeps it. An action with attendance or survey answers is not deleted,
and the page says which registers keep it (issue 13, item 11)."""

import pytest
from django.urls import reverse

from capacity_plan import services
from capacity_plan.models import ActionSession, TrainingAction
from tests.factories import ActionSessionFactory, TrainingActionFactory

pytestmark = pytest.mark.django_db

RATINGS = {"clarity": 4, "usefulness": 5, "materials": 4, "facilitator": 5, "applicability": 4}


def _url(action):
    return reverse("capacity_plan:action_delete", args=[action.pk])


def test_odes_confirm_and_delete_an_action_entered_by_mistake_and_its_history_keeps_it(pfc, make_user, client_for):
    odes = make_user("odes")
    client = client_for(odes)
    mistake = TrainingActionFactory(milestone=pfc.hito4, organisational_unit=pfc.unit, title="Taller duplicado")
    ActionSessionFactory(action=mistake)
    assert _url(mistake) in client.get(mistake.get_absolute_url()).content.decode()

    confirmation = client.get(_url(mistake)).content.decode()
    assert "Eliminar la acción formativa «Taller duplicado»" in confirmation
    assert "1 sesión sin asistencia registrada, que se elimina con ella" in confirmation

    response = client.post(_url(mistake))

    assert response.status_code == 302 and response["Location"] == reverse("capacity_plan:actions")
    assert not TrainingAction.objects.filter(pk=mistake.pk).exists()
    assert not ActionSession.objects.filter(action_id=mistake.pk).exists()
    assert "Se eliminó la acción formativa «Taller duplicado»" in client.get(response["Location"]).content.decode()
    deletion = TrainingAction.history.get(id=mistake.pk, history_type="-")
    assert deletion.history_user == odes and deletion.title == "Taller duplicado"


def test_an_action_with_attendance_or_survey_answers_is_not_deleted(pfc, make_user, client_for):
    odes = make_user("odes")
    services.attendance_record(
        session=pfc.session, marks={pfc.servants[0].pk: "present", pfc.servants[1].pk: "absent"}, by=odes
    )
    services.survey_response_create(action=pfc.action, servant=None, ratings=RATINGS, comments="", by=odes)
    client = client_for(odes)

    page = client.get(_url(pfc.action)).content.decode()
    assert "no se puede eliminar" in page
    assert "2 registros de asistencia" in page and "1 respuesta de la encuesta de satisfacción" in page
    assert "Eliminar la acción</button>" not in page

    response = client.post(_url(pfc.action))

    assert response.status_code == 200
    assert (
        "No se puede eliminar la acción formativa «Taller de Liderazgo Transformacional» porque tiene 2 registros "
        "de asistencia y 1 respuesta de la encuesta de satisfacción" in response.content.decode()
    )
    assert TrainingAction.objects.filter(pk=pfc.action.pk).exists()


def test_managers_and_oea_staff_cannot_delete_an_action(pfc, client_for):
    mistake = TrainingActionFactory(milestone=pfc.hito4, organisational_unit=pfc.unit)
    for role in ("manager", "oea", "focal"):
        assert client_for(role).post(_url(mistake)).status_code == 403
    assert _url(mistake) not in client_for("manager").get(mistake.get_absolute_url()).content.decode()
    assert TrainingAction.objects.filter(pk=mistake.pk).exists()
