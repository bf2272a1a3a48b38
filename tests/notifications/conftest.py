import pytest
from django.core.management import call_command

from accounts.roles import OEA_STAFF
from cooperations.models import Cooperation, Institution
from rial_site.celery import app as celery_app
from tests.cooperations.conftest import world  # noqa: F401  (fixture: two cooperations, one user per role)
from tests.factories import focal_point_for, user_with_role
from tests.mail import smtp_server  # noqa: F401  (fixture: a real SMTP server on loopback)


@pytest.fixture
def eager_tasks():
    """Celery tasks queued on commit run right away in this process (the e-mail still goes
    through Django's SMTP backend to the test's server)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


class SeedPeople:
    """The seed cooperation 001 (Perú – Panamá: its steps are due 7 June, 25 June and 30 August
    2024), a focal point of each of its institutions, one of another cooperation's institution,
    and OEA staff following it (and not)."""


@pytest.fixture
def people(seed):
    p = SeedPeople()
    p.cooperation = Cooperation.objects.get(short_name__startswith="Perú – Panamá")
    p.mtpe = Institution.objects.get(acronym="MTPE")
    p.mitradel = Institution.objects.get(acronym="MITRADEL")
    p.chile = Institution.objects.get(acronym="MTPS")
    p.focal_mtpe = focal_point_for(p.mtpe, username="focal-mtpe", email="focal-mtpe@demo.invalid")
    p.focal_mitradel = focal_point_for(p.mitradel, username="focal-mitradel", email="focal-mitradel@demo.invalid")
    p.focal_chile = focal_point_for(p.chile, username="focal-mtps", email="focal-mtps@demo.invalid")
    p.oea = user_with_role(OEA_STAFF, username="oea-follower", email="oea-follower@demo.invalid")
    p.oea_not_following = user_with_role(OEA_STAFF, username="oea-other", email="oea-other@demo.invalid")
    p.cooperation.followers.add(p.oea)
    return p


@pytest.fixture
def run_due(django_capture_on_commit_callbacks, eager_tasks):
    """run_due("2024-06-06"): the daily command for that day, its e-mails sent on commit."""

    def run(day: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_due_notifications", today=day, stdout=open("/dev/null", "w"))

    return run
