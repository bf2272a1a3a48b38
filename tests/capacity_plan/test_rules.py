import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from capacity_plan.models import Attendance, SatisfactionResponse, TrainingAction
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory

pytestmark = pytest.mark.django_db


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_diploma_lasts_at_least_24_hours():
    action = TrainingActionFactory.build(
        kind=TrainingAction.Kind.DIPLOMA,
        hours=Decimal("20"),
        organisational_unit=TrainingActionFactory().organisational_unit,
        milestone=None,
    )
    assert "al menos 24 horas" in errors_of(action)["hours"][0]
    action.hours = Decimal("24")
    action.full_clean()


def test_a_rescheduled_action_needs_its_original_date_and_a_reason_as_a_cancelled_one():
    action = TrainingActionFactory()
    action.status = TrainingAction.Status.RESCHEDULED
    errors = errors_of(action)
    assert errors["original_start"] == ["Una acción reprogramada guarda la fecha con la que se programó."]
    assert errors["status_reason"] == ["Indique el motivo de la reprogramación."]
    action.status = TrainingAction.Status.CANCELLED
    assert errors_of(action)["status_reason"] == ["Indique el motivo de la cancelación."]


def test_ratings_are_between_1_and_5_in_forms_and_in_the_database():
    action = TrainingActionFactory()
    response = SatisfactionResponse(
        action=action,
        clarity=7,
        usefulness=5,
        materials=5,
        facilitator=5,
        applicability=0,
        submitted_at=datetime.datetime.now(tz=datetime.UTC),
        source_key="k",
    )
    errors = errors_of(response)
    assert errors["clarity"] == ["La calificación va de 1 a 5."]
    assert errors["applicability"] == ["La calificación va de 1 a 5."]
    with pytest.raises(IntegrityError):
        response.save()


def test_one_attendance_row_per_servant_and_session():
    session = ActionSessionFactory()
    servant = ServantFactory()
    Attendance.objects.create(session=session, servant=servant, status="present")
    duplicate = Attendance(session=session, servant=servant, status="absent")
    assert "Esa persona ya tiene asistencia en esta sesión." in str(errors_of(duplicate))
