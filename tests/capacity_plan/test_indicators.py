import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from capacity_plan.indicators import indicator_value, load_registers
from capacity_plan.models import Attendance, Indicator, Measurement, SatisfactionResponse, TrainingAction
from capacity_plan.periods import Bimester
from tests.factories import (
    ActionSessionFactory,
    IndicatorFactory,
    MilestoneFactory,
    ServantFactory,
    TrainingActionFactory,
)

pytestmark = pytest.mark.django_db
MARCH_APRIL = Bimester(2025, 2)


def value_of(indicator, period=MARCH_APRIL):
    return indicator_value(indicator, load_registers(plan=indicator.milestone.component.plan, period=period))


def mark(session, present, absent=0, justified=0):
    servants = ServantFactory.create_batch(present + absent + justified)
    statuses = ["present"] * present + ["absent"] * absent + ["justified"] * justified
    Attendance.objects.bulk_create(
        Attendance(session=session, servant=s, status=st) for s, st in zip(servants, statuses, strict=True)
    )
    return servants


def answer(action, *ratings, day=datetime.date(2025, 4, 10)):
    for n, (clarity, usefulness) in enumerate(ratings):
        SatisfactionResponse.objects.create(
            action=action,
            clarity=clarity,
            usefulness=usefulness,
            materials=3,
            facilitator=3,
            applicability=3,
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, n))),
            source_key=f"{action.pk}-{n}-{clarity}-{usefulness}",
        )


def test_attendance_rate_comes_from_the_register():
    indicator = IndicatorFactory(source=Indicator.Source.ATTENDANCE_RATE)
    session = ActionSessionFactory(action=TrainingActionFactory(milestone=indicator.milestone))
    mark(session, present=18, absent=5, justified=2)
    assert value_of(indicator) == Decimal("72.00")
    assert value_of(indicator, Bimester(2025, 3)) is None  # nothing recorded in May–June


def test_distinct_participants_count_each_servant_once_across_actions():
    indicator = IndicatorFactory(source=Indicator.Source.PARTICIPANTS, kind=Indicator.Kind.COUNT, target=Decimal(25))
    first = ActionSessionFactory(action=TrainingActionFactory(milestone=indicator.milestone))
    second = ActionSessionFactory(action=TrainingActionFactory(milestone=indicator.milestone))
    servants = mark(first, present=10, absent=3)
    Attendance.objects.bulk_create(Attendance(session=second, servant=s, status="present") for s in servants[:10])
    assert value_of(indicator) == Decimal(10)


def test_satisfaction_average_for_one_dimension_and_for_all():
    milestone = MilestoneFactory()
    action = TrainingActionFactory(milestone=milestone)
    answer(action, (5, 4), (4, 2), (3, 3))
    clarity = IndicatorFactory(
        milestone=milestone,
        source=Indicator.Source.SATISFACTION,
        kind=Indicator.Kind.SCALE,
        survey_aspects=["clarity"],
        target=Decimal("4"),
    )
    overall = IndicatorFactory(
        milestone=milestone, source=Indicator.Source.SATISFACTION, kind=Indicator.Kind.SCALE, target=Decimal("4")
    )
    assert value_of(clarity) == Decimal("4.00")
    assert value_of(overall) == Decimal("3.20")  # (clarity 12 + usefulness 9 + three 3s × 3 answers 27) / 15


def test_executed_share_of_programmed_actions_and_action_count():
    milestone = MilestoneFactory()
    for status in ["ejecutada", "ejecutada", "ejecutada", "cancelada"]:
        TrainingActionFactory(milestone=milestone, status=status, status_reason="x" if status == "cancelada" else "")
    TrainingActionFactory(milestone=milestone, status="ejecutada", programmed=False)
    share = IndicatorFactory(milestone=milestone, source=Indicator.Source.EXECUTED_SHARE)
    count = IndicatorFactory(milestone=milestone, source=Indicator.Source.ACTION_COUNT, kind=Indicator.Kind.COUNT)
    assert value_of(share) == Decimal("75.00")
    assert value_of(count) == Decimal(4)


def test_plan_scope_counts_every_action_of_the_plan():
    milestone = MilestoneFactory()
    other = MilestoneFactory(component=milestone.component)
    TrainingActionFactory(milestone=milestone, status=TrainingAction.Status.EXECUTED)
    TrainingActionFactory(milestone=other)
    share = IndicatorFactory(milestone=milestone, source=Indicator.Source.EXECUTED_SHARE, scope=Indicator.Scope.PLAN)
    assert value_of(share) == Decimal("50.00")


def test_manual_indicators_take_their_measurement(make_user):
    indicator = IndicatorFactory(source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT, target=Decimal(25))
    Measurement.objects.create(
        indicator=indicator, year=2025, bimester=2, value=Decimal(20), recorded_by=make_user("odes")
    )
    assert value_of(indicator) == Decimal(20)
