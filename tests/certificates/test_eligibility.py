"""Who earns a certificate: a diplomado's 24 hours and every action's minimum attendance, on
their boundaries."""

from decimal import Decimal

from capacity_plan.models import TrainingAction
from certificates.eligibility import Eligibility, action_eligibility
from tests.certificates.conftest import ABSENT, PRESENT, mark
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory


def by_name(rows):
    return {row.servant.full_name: row for row in rows}


def test_a_diplomado_needs_24_hours_attended_and_the_minimum_share_of_sessions(diploma):
    rows = by_name(action_eligibility(action=diploma.action))

    ana, bruno, carla = rows["Ana Exacta"], rows["Bruno Corto"], rows["Carla Ausente"]
    assert (ana.hours_attended, ana.percent, ana.qualifies) == (Decimal("24"), Decimal("80"), True)
    assert ana.shortfalls == []
    assert (bruno.hours_attended, bruno.percent, bruno.qualifies) == (Decimal("23.5"), Decimal("80"), False)
    assert bruno.shortfalls == ["23,5 h de 24 h"]
    # Justified absences are absences: 3 of 5 sessions, 18 hours.
    assert carla.shortfalls == ["18 h de 24 h", "60 % de 80 %"]


def test_another_kind_needs_only_the_actions_minimum(db):
    workshop = TrainingActionFactory(kind=TrainingAction.Kind.WORKSHOP, minimum_attendance_percent=80)
    sessions = [ActionSessionFactory(action=workshop, duration_hours=Decimal("2")) for _ in range(5)]
    four, three = ServantFactory(full_name="Cuatro De Cinco"), ServantFactory(full_name="Tres De Cinco")
    for index, session in enumerate(sessions):
        mark(session, four, PRESENT if index < 4 else ABSENT)
        mark(session, three, PRESENT if index < 3 else ABSENT)

    rows = by_name(action_eligibility(action=workshop))

    # 8 hours are far from 24, and do not matter for a workshop.
    assert rows["Cuatro De Cinco"].qualifies and rows["Cuatro De Cinco"].hours_attended == Decimal("8")
    assert not rows["Tres De Cinco"].qualifies
    assert rows["Tres De Cinco"].shortfalls == ["60 % de 80 %"]


def test_the_actions_own_minimum_decides(db):
    workshop = TrainingActionFactory(kind=TrainingAction.Kind.COURSE, minimum_attendance_percent=81)
    sessions = [ActionSessionFactory(action=workshop) for _ in range(5)]
    servant = ServantFactory()
    for index, session in enumerate(sessions):
        mark(session, servant, PRESENT if index < 4 else ABSENT)

    (row,) = action_eligibility(action=workshop)

    assert not row.qualifies and row.shortfalls == ["80 % de 81 %"]


def attendance(attended: int, total: int, minimum: int = 80) -> Eligibility:
    return Eligibility(
        servant=ServantFactory.build(),
        sessions_attended=attended,
        sessions_total=total,
        hours_attended=Decimal(attended),
        minimum_percent=minimum,
        minimum_hours=None,
    )


def test_79_percent_is_not_80_and_is_never_rounded_up():
    assert attendance(80, 100).qualifies
    assert not attendance(79, 100).qualifies
    assert attendance(79, 100).shortfalls == ["79 % de 80 %"]
    # 799 of 1000 is 79,9 %: shown cut, not rounded up to a misleading «80 % de 80 %».
    assert not attendance(799, 1000).qualifies
    assert attendance(799, 1000).shortfalls == ["79,9 % de 80 %"]


def test_an_action_without_sessions_certifies_nobody():
    assert not attendance(0, 0).qualifies
