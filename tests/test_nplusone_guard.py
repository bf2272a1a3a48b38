"""The N+1 query guard (django-zeal) is live: a relation loaded row by row raises NPlusOneError in a
request, in a Celery task and in any zeal_context(). If zeal were switched off (settings.ZEAL_ENABLED,
its middleware, ZEAL_RAISE, the Celery hooks in tests/conftest.py) these tests fail."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import zeal
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from cooperations.models import Cooperation
from rial_site.celery import app as celery_app
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


def names_one_query_per_row():
    """The deliberate N+1: each cooperation's institution is fetched on its own."""
    return [cooperation.requesting_institution.name for cooperation in Cooperation.objects.order_by("pk")]


def names_in_one_query():
    return [
        cooperation.requesting_institution.name
        for cooperation in Cooperation.objects.select_related("requesting_institution").order_by("pk")
    ]


def n_plus_one_view(request):
    return HttpResponse(", ".join(names_one_query_per_row()))


urlpatterns = [path("n-plus-one/", n_plus_one_view)]


@celery_app.task(name="tests.n_plus_one")
def n_plus_one_task():
    return names_one_query_per_row()


@pytest.fixture
def cooperations():
    return [CooperationFactory() for _ in range(3)]


def test_zeal_is_installed_and_raises():
    assert settings.ZEAL_ENABLED and "zeal" in settings.INSTALLED_APPS
    assert settings.MIDDLEWARE[0] == "zeal.middleware.zeal_middleware"
    assert settings.ZEAL_RAISE is True


def test_an_n_plus_one_in_a_zeal_context_raises(cooperations):
    with (
        zeal.zeal_context(),
        pytest.raises(zeal.NPlusOneError, match=r"cooperations\.Cooperation\.requesting_institution"),
    ):
        names_one_query_per_row()


def test_the_same_loop_with_select_related_passes(cooperations):
    with zeal.zeal_context():
        assert len(names_in_one_query()) == 3


@pytest.mark.urls(__name__)
def test_an_n_plus_one_in_a_request_raises(cooperations, client):
    with pytest.raises(zeal.NPlusOneError, match=r"cooperations\.Cooperation\.requesting_institution"):
        client.get("/n-plus-one/")


def test_an_n_plus_one_in_a_celery_task_raises(cooperations):
    result = n_plus_one_task.apply()
    assert isinstance(result.result, zeal.NPlusOneError), result.result


def zeal_installed_outside_pytest(**env_overrides) -> str:
    """Whether a manage.py process (not pytest) installs zeal, with these environment variables."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "ZEAL_"))
    }
    env.update(env_overrides)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print('zeal' in settings.INSTALLED_APPS, "
            "'zeal.middleware.zeal_middleware' in settings.MIDDLEWARE)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_make_run_does_not_load_zeal_unless_asked():
    assert zeal_installed_outside_pytest() == "False False"
    assert zeal_installed_outside_pytest(ZEAL_ENABLED="true") == "True True"


def test_production_never_loads_zeal():
    assert (
        zeal_installed_outside_pytest(
            DJANGO_ENV="production",
            ZEAL_ENABLED="true",
            SECRET_KEY="k3y-" + "x9Qm2Lp7Vt4Rz8Wn1Ys6Bc5Hd0Jf3Gk" * 2,
            ALLOWED_HOSTS="rial.example.org",
        )
        == "False False"
    )
