import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_healthz_is_ok_with_postgresql_and_redis_up(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_fails_when_the_broker_is_unreachable(client, settings, free_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port}/0"

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["broker"] == "down"
    assert response.json()["database"] == "ok"


def test_healthz_needs_no_sign_in_and_reveals_nothing_else(client):
    body = client.get(reverse("healthz")).json()
    assert set(body) == {"status", "database", "broker"}
