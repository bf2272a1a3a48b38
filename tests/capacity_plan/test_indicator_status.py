"""An indicator's status against its target, and the bimesters: pure functions, no database
(they run in `make test-fast`)."""

import datetime
from decimal import Decimal

import pytest

from capacity_plan.indicators import indicator_status
from capacity_plan.models import Indicator
from capacity_plan.periods import Bimester
from tests.factories import IndicatorFactory


@pytest.mark.parametrize(
    ("value", "code", "margin"),
    [
        (Decimal("85"), "on_track", "Supera la meta de 80% por 5%."),
        (Decimal("80"), "on_track", "Alcanza la meta de 80%."),
        (Decimal("75"), "at_risk", "A 5% de la meta de 80%, dentro del margen de riesgo de 8%."),
        (Decimal("72"), "at_risk", "A 8% de la meta de 80%, dentro del margen de riesgo de 8%."),
        (Decimal("71"), "off_track", "A 9% de la meta de 80%; el margen de riesgo es 8%."),
        (Decimal("60"), "off_track", "A 20% de la meta de 80%; el margen de riesgo es 8%."),
        (None, "no_data", "No hay registros en el periodo."),
    ],
)
def test_status_against_the_target_states_the_margin(value, code, margin):
    indicator = IndicatorFactory.build(target=Decimal("80"), risk_margin=Decimal("10"))
    status = indicator_status(indicator, value)
    assert (status.code, status.margin) == (code, margin)


def test_status_when_lower_is_better():
    indicator = IndicatorFactory.build(
        kind=Indicator.Kind.COUNT, target=Decimal("10"), direction=Indicator.Direction.DECREASE
    )
    assert indicator_status(indicator, Decimal("8")).code == "on_track"
    assert indicator_status(indicator, Decimal("11")).code == "at_risk"
    assert indicator_status(indicator, Decimal("15")).code == "off_track"


def test_bimesters():
    assert [Bimester.containing(datetime.date(2025, month, 1)).number for month in (1, 2, 3, 12)] == [1, 1, 2, 6]
    assert (Bimester(2025, 2).start, Bimester(2025, 2).end) == (datetime.date(2025, 3, 1), datetime.date(2025, 4, 30))
    assert Bimester(2025, 6).label == "Nov–Dic 2025"
    assert Bimester(2025, 3).label == "May–Jun 2025"
