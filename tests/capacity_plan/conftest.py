import pytest

from capacity_plan.models import Milestone, Region
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory, UnitFactory


@pytest.fixture
def pfc(seed):
    """The seed plan, plus a workshop for Hito 4 with a session and servants of three regions."""

    class PFC:
        pass

    p = PFC()
    p.hito4 = Milestone.objects.get(number=4)
    p.regions = list(Region.objects.filter(name__in=["Cusco", "Puno", "Piura"]))
    p.unit = UnitFactory(acronym="ODES")
    p.action = TrainingActionFactory(
        milestone=p.hito4, organisational_unit=p.unit, regions=p.regions, title="Taller de Liderazgo Transformacional"
    )
    p.session = ActionSessionFactory(action=p.action)
    p.servants = [ServantFactory(region=p.regions[n % 3]) for n in range(25)]
    return p
