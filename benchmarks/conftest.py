import io
import os

import pytest
from django.core import management
from django.test import Client

from tests.factories import (
    ActionSessionFactory,
    CooperationFactory,
    ParticipationFactory,
    ServantFactory,
    SessionFactory,
    TrainingActionFactory,
    UnitFactory,
    user_with_role,
)


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.exit("Benchmarks run against PostgreSQL: use `make bench`.", returncode=2)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed data plus a realistic volume: 200 more cooperations with sessions and
    participants, and 150 training actions with attendance."""
    with django_db_blocker.unblock():
        management.call_command("load_seed_data", verbosity=0)
        management.call_command("create_demo_training", verbosity=0, stdout=io.StringIO())
        for _ in range(200):
            cooperation = CooperationFactory()
            SessionFactory.create_batch(4, cooperation=cooperation)
            ParticipationFactory.create_batch(10, cooperation=cooperation)
        from capacity_plan.models import Attendance, Milestone, Region

        regions = list(Region.objects.all())
        servants = [ServantFactory(region=regions[n % 25]) for n in range(300)]
        unit = UnitFactory(acronym="DSST")
        milestones = list(Milestone.objects.all())
        for n in range(150):
            session = ActionSessionFactory(action=TrainingActionFactory(
                milestone=milestones[n % 12], organisational_unit=unit, regions=regions[:5]))
            Attendance.objects.bulk_create(Attendance(session=session, servant=servant, status="present")
                                           for servant in servants[n % 10 * 30:(n % 10 + 1) * 30])
        yield
        # the module's data is dropped with the test database


@pytest.fixture
def signed_in(seeded, django_db_blocker):
    def make(role_group):
        with django_db_blocker.unblock():
            user = user_with_role(role_group)
        client = Client()
        client.force_login(user)
        return client

    return make
