import os

import pytest

from accounts.tasks import clear_expired_sessions
from rial_site.celery import app as celery_app
from rial_site.celery import ping
from tests.workers import solo_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_celery_is_configured_for_safe_delivery():
    conf = celery_app.conf
    assert conf.broker_url.startswith("redis://")
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert "clear-expired-sessions" in conf.beat_schedule


def test_a_task_makes_a_round_trip_through_redis_and_a_real_worker():
    with solo_worker(queues=["celery"], shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"


def test_the_periodic_session_cleanup_deletes_expired_sessions():
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.create(
        session_key="caducada", session_data="", expire_date=timezone.now() - datetime.timedelta(days=1)
    )
    Session.objects.create(
        session_key="vigente", session_data="", expire_date=timezone.now() + datetime.timedelta(days=1)
    )
    with solo_worker(queues=["celery"], shutdown_timeout=10):
        clear_expired_sessions.delay().get(timeout=20)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["vigente"]


def test_celery_uses_the_broker_the_settings_name_in_every_test_process(settings):
    # Celery prefers CELERY_BROKER_URL from the environment to the settings; in a parallel run
    # each test process must still publish to (and its workers read from) its own databases.
    assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL
    assert celery_app.conf.result_backend == settings.CELERY_RESULT_BACKEND
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert os.environ["CELERY_BROKER_URL"] == settings.CELERY_BROKER_URL
        assert not settings.CELERY_BROKER_URL.endswith("/1")
