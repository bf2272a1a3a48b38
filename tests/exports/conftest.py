import csv
import io
import uuid

import openpyxl
import pytest

from capacity_plan import services as plan_services
from capacity_plan.models import SatisfactionResponse
from tests.capacity_plan.conftest import pfc  # noqa: F401  (fixture: the seed plan with a workshop)
from tests.cooperations.conftest import world  # noqa: F401  (fixture: two cooperations, one user per role)
from tests.factories import (
    ActionSessionFactory,
    ParticipationFactory,
    QuestionFactory,
    SpecificObjectiveFactory,
    StepFactory,
    TrainingActionFactory,
    UnitFactory,
    aware,
)


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff"), "a byte-order mark, so Excel reads the accents"
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(content_of(response))).active


def xlsx_rows(response) -> list[list]:
    return [list(row) for row in xlsx_sheet(response).iter_rows(values_only=True)]


def column(rows: list[list], header: str) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


@pytest.fixture
def coops(world):  # noqa: F811
    """Both cooperations of the world with steps, participants and questions of their own."""
    other_objective = SpecificObjectiveFactory(cooperation=world.other, order=1, text="Inspección")
    QuestionFactory(objective=other_objective, number=1, text="¿Cómo inspeccionan en Chile?")
    StepFactory(cooperation=world.other, text="El MTPS enviará su protocolo")
    ParticipationFactory(cooperation=world.cooperation, person__full_name="Ana Peruana")
    ParticipationFactory(cooperation=world.other, person__full_name="Carla Chilena")
    return world


@pytest.fixture
def plan_data(pfc, world):  # noqa: F811
    """The workshop (ODES) with attendance and two survey answers, and a course of another unit
    (DNT) with its own attendance and answer, so that a filter on the unit tells them apart."""
    odes = world.users["odes"]
    plan_services.attendance_record(
        session=pfc.session,
        marks={servant.pk: ("present" if n % 4 else "absent") for n, servant in enumerate(pfc.servants[:10])},
        by=odes,
    )
    other = TrainingActionFactory(
        milestone=pfc.hito4, organisational_unit=UnitFactory(acronym="DNT"), title="Curso de normativa laboral"
    )
    other_session = ActionSessionFactory(action=other)
    plan_services.attendance_record(session=other_session, marks={pfc.servants[20].pk: "present"}, by=odes)
    for n, (action, servant) in enumerate([(pfc.action, pfc.servants[0]), (pfc.action, None), (other, None)]):
        SatisfactionResponse.objects.create(
            action=action,
            servant=servant,
            clarity=5,
            usefulness=4,
            materials=3,
            facilitator=5,
            applicability=4,
            comments="Muy útil" if n else '=HYPERLINK("http://malo.example")',
            submitted_at=aware(2025, 4, 10, 15, 30),
            source_key=uuid.uuid4().hex,
        )
    pfc.other_action = other
    return pfc
