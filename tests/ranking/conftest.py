import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest

from capacity_plan.models import Region
from ranking import services
from ranking.models import Ranking, RankingVersion
from tests.factories import ROLE_FACTORIES


@dataclass
class Published:
    first: Ranking  # 2025, first semester: published twice (Cusco's values changed in between)
    second: Ranking  # 2025, second semester: published once
    old: RankingVersion  # the first semester's version 1
    latest_first: RankingVersion  # its version 2
    latest_second: RankingVersion


def _values(**by_region: tuple) -> dict:
    regions = dict(Region.objects.values_list("name", "pk"))
    return {
        regions[name]: {"goals": goals, "additional": additional, "financial": financial, "note": ""}
        for name, (goals, additional, financial) in by_region.items()
    }


@pytest.fixture
def published_rankings(seed) -> Published:
    """Two semesters of 2025 published by ODES, the first one twice."""
    odes = ROLE_FACTORIES["odes"]()
    first = services.ranking_create(year=2025, semester=1, by=odes)
    services.ranking_import(
        ranking=first,
        values=_values(Cusco=(Decimal("60"), Decimal("10"), Decimal("50")), Puno=(Decimal("90"), None, Decimal("80"))),
        by=odes,
    )
    old = services.ranking_publish(ranking=first, request_key=uuid.uuid4(), by=odes)
    services.ranking_import(
        ranking=first, values=_values(Cusco=(Decimal("100"), Decimal("100"), Decimal("100"))), by=odes
    )
    latest_first = services.ranking_publish(ranking=first, request_key=uuid.uuid4(), by=odes)
    second = services.ranking_create(year=2025, semester=2, by=odes)
    services.ranking_import(
        ranking=second, values=_values(**{"Lima Provincias": (Decimal("80"), Decimal("50"), Decimal("40"))}), by=odes
    )
    latest_second = services.ranking_publish(ranking=second, request_key=uuid.uuid4(), by=odes)
    return Published(first, second, old, latest_first, latest_second)
