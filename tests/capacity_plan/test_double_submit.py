"""The PFC's create forms sent twice create once (see tests/cooperations/test_double_submit.py)."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from capacity_plan.models import ActionSession, SatisfactionResponse, TrainingAction
from core.models import SubmittedRequest
from core.services import SUBMITTED_REQUEST_LIFETIME, submitted_requests_delete_expired
from core.tasks import delete_expired_submitted_requests

pytestmark = pytest.mark.django_db

REPEATED = "Ese formulario ya se había enviado: se muestra lo que se registró entonces."


def action_data(pfc, key):
    return {
        "request_key": key,
        "kind": "taller",
        "title": "Taller enviado dos veces",
        "organisational_unit": pfc.unit.pk,
        "milestone": pfc.hito4.pk,
        "programmed": "on",
        "modality": "virtual",
        "hours": "4",
        "planned_start": "2025-04-10",
        "status": "programada",
        "target_regions": [region.pk for region in pfc.regions],
        "expected_revision": "",
    }


def case(name, pfc):
    return {
        "action": (
            reverse("capacity_plan:action_create"),
            lambda key: action_data(pfc, key),
            lambda: TrainingAction.objects.count(),
        ),
        "action session": (
            reverse("capacity_plan:session_create", args=[pfc.action.pk]),
            lambda key: {"request_key": key, "date": "2025-04-17", "duration_hours": "2", "topic": "Segunda"},
            lambda: ActionSession.objects.filter(action=pfc.action).count(),
        ),
        "survey answer": (
            reverse("capacity_plan:survey_create", args=[pfc.action.pk]),
            lambda key: {
                "request_key": key,
                "servant": "",
                **dict.fromkeys(SatisfactionResponse.DIMENSIONS, "4"),
                "comments": "Útil",
            },
            lambda: SatisfactionResponse.objects.filter(action=pfc.action).count(),
        ),
    }[name]


@pytest.mark.parametrize("name", ["action", "action session", "survey answer"])
def test_a_create_form_sent_twice_creates_once_and_the_second_lands_on_the_first_result(pfc, client_for, name):
    url, data, count = case(name, pfc)
    client = client_for("odes")
    key = str(uuid.uuid4())
    before = count()

    first = client.post(url, data(key))
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, data(key))

    assert count() == before + 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert REPEATED in client.get(second["Location"]).content.decode()
    assert client.post(url, data(str(uuid.uuid4()))).status_code == 302
    assert count() == before + 2


def test_a_create_form_without_its_key_is_refused_keeping_what_was_typed(pfc, client_for):
    data = action_data(pfc, "")
    response = client_for("odes").post(reverse("capacity_plan:action_create"), data)
    assert response.status_code == 200
    assert 'value="Taller enviado dos veces"' in response.content.decode()
    assert not TrainingAction.objects.filter(title="Taller enviado dos veces").exists()


def test_request_keys_are_forgotten_after_two_days_by_the_daily_job(make_user):
    user = make_user("odes")
    old, recent = SubmittedRequest.objects.create(submitted_by=user), SubmittedRequest.objects.create(submitted_by=user)
    now = timezone.now()
    SubmittedRequest.objects.filter(pk=old.pk).update(submitted_at=now - SUBMITTED_REQUEST_LIFETIME)
    SubmittedRequest.objects.filter(pk=recent.pk).update(submitted_at=now - datetime.timedelta(hours=47))

    assert submitted_requests_delete_expired(now=now) == 1
    assert list(SubmittedRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    assert delete_expired_submitted_requests.apply().get() == 0
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.delete_expired_submitted_requests" in schedule
