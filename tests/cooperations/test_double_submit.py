"""A create form sent twice (double click, the browser retrying, the back button and send again)
creates once: every request with the form's key lands on the page of what the first created."""

import threading
import uuid
from unittest import mock

import pytest
from django.urls import reverse

from cooperations.models import Cooperation, Deliverable, DeliverableVersion, Question, Session
from cooperations.views import questions as question_views
from core.models import SubmittedRequest
from tests.concurrency import post_at_once
from tests.files import docx

REPEATED = "Ese formulario ya se había enviado: se muestra lo que se registró entonces."
PASTED = "1. ¿Cuál es el perfil de los orientadores?\n2. ¿Cómo se articula con el sector privado?"


def management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"}


def cooperation_data(world, key):
    return {
        "cooperation-request_key": key,
        "cooperation-title": "Cooperación Perú – Chile sobre diálogo social",
        "cooperation-short_name": "Perú – Chile (doble)",
        "cooperation-topic": "Diálogo social",
        "cooperation-call": world.cooperation.call_id,
        "cooperation-requesting_institution": world.peru.pk,
        "cooperation-providing_institution": world.chile.pk,
        "cooperation-modality": world.cooperation.modality,
        "cooperation-status": world.cooperation.status,
        "cooperation-general_objective": "Conocer",
        "cooperation-expected_revision": "",
        **management("objectives", 1),
        "objectives-0-order": "1",
        "objectives-0-text": "Conocer el programa",
        **management("methodology", 0),
    }


def session_data(world, key):
    return {
        "request_key": key,
        "order": "5",
        "kind": "regular",
        "title": "Sesión enviada dos veces",
        "status": "planned",
        "time_zone": "America/Lima",
        "date_label": "Segunda quincena de agosto (por definir)",
        "expected_revision": "",
    }


# (user, url, the form's data for a key, what is counted, how many one request creates)
def case(name, world):
    objective, deliverable = world.objective, world.deliverable
    return {
        "questions": (
            "focal_requesting",
            reverse("cooperations:questions_submit", args=[world.cooperation.pk]),
            lambda key: {"request_key": key, "objective": objective.pk, "text": PASTED},
            lambda: Question.objects.count(),
            2,
        ),
        "one question": (
            "focal_requesting",
            reverse("cooperations:questions_submit", args=[world.cooperation.pk]),
            lambda key: {"request_key": key, "objective": objective.pk, "text": "¿Cuántos orientadores hay?"},
            lambda: Question.objects.count(),
            1,
        ),
        "deliverable": (
            "focal_requesting",
            reverse("cooperations:deliverable_create", args=[world.cooperation.pk]),
            lambda key: {
                "request_key": key,
                "kind": "work_plan",
                "title": "Plan de trabajo enviado dos veces",
                "institution": world.peru.pk,
                "file": docx("plan.docx"),
            },
            lambda: (Deliverable.objects.count(), DeliverableVersion.objects.count()),
            (1, 1),
        ),
        "deliverable version": (
            "focal_requesting",
            reverse("cooperations:deliverable_version_upload", args=[deliverable.pk]),
            lambda key: {"request_key": key, "file": docx("plan-v2.docx", "dos"), "note": "segunda"},
            lambda: DeliverableVersion.objects.filter(deliverable=deliverable).count(),
            1,
        ),
        "cooperation": (
            "oea",
            reverse("cooperations:create"),
            lambda key: cooperation_data(world, key),
            lambda: Cooperation.objects.count(),
            1,
        ),
        "session": (
            "oea",
            reverse("cooperations:session_create", args=[world.cooperation.pk]),
            lambda key: session_data(world, key),
            lambda: Session.objects.count(),
            1,
        ),
    }[name]


def grew(before, after):
    if isinstance(before, tuple):
        return tuple(b - a for a, b in zip(before, after, strict=True))
    return after - before


CASES = ["questions", "one question", "deliverable", "deliverable version", "cooperation", "session"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", CASES)
def test_a_create_form_sent_twice_creates_once_and_the_second_lands_on_the_first_result(world, client_for, name):
    role, url, data, count, made = case(name, world)
    client = client_for(world.users[role])
    key = str(uuid.uuid4())
    before = count()

    first = client.post(url, data(key))
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, data(key))

    assert grew(before, count()) == made
    assert second.status_code == 302 and second["Location"] == first["Location"]
    page = client.get(second["Location"]).content.decode()
    assert REPEATED in page
    # A form opened again has a new key, which creates again.
    assert client.post(url, data(str(uuid.uuid4()))).status_code == 302
    assert grew(before, count()) == (tuple(2 * n for n in made) if isinstance(made, tuple) else 2 * made)


@pytest.mark.django_db
def test_a_refused_submission_keeps_its_key_free_so_the_corrected_form_saves(world, client_for):
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:questions_submit", args=[world.cooperation.pk])
    key = str(uuid.uuid4())
    refused = client.post(url, {"request_key": key, "objective": world.objective.pk, "text": "Estimados:\n1. ¿A?"})
    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()  # the re-shown form keeps its key
    assert client.post(url, {"request_key": key, "objective": world.objective.pk, "text": PASTED}).status_code == 302
    assert Question.objects.filter(number__gte=2).count() == 2


@pytest.mark.django_db
def test_a_key_another_user_sent_creates_nothing_and_shows_nothing_of_theirs(world, client_for):
    url = reverse("cooperations:questions_submit", args=[world.cooperation.pk])
    key = str(uuid.uuid4())
    first = client_for(world.users["focal_requesting"])
    assert first.post(url, {"request_key": key, "objective": world.objective.pk, "text": PASTED}).status_code == 302
    colleague = client_for(world.users["oea"])

    response = colleague.post(url, {"request_key": key, "objective": world.objective.pk, "text": "¿Otra?"})

    assert response.status_code == 200
    assert "Este formulario ya se había enviado. Ábralo de nuevo y vuelva a enviarlo." in response.content.decode()
    assert "¿Otra?" in response.content.decode()
    assert not Question.objects.filter(text="¿Otra?").exists()


@pytest.mark.django_db
def test_editing_a_stored_record_needs_no_key(world, client_for):
    """Edit forms are guarded by the record's revision; an edit posted without a key saves."""
    client = client_for(world.users["oea"])
    data = session_data(world, "")
    data.pop("request_key")
    data.update(order=str(world.session.order), expected_revision=str(world.session.revision), title="Renombrada")
    response = client.post(reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk]), data)
    assert response.status_code == 302
    world.session.refresh_from_db()
    assert world.session.title == "Renombrada"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_simultaneous_posts_of_one_pasted_list_make_its_questions_once(world, client_for):
    user = world.users["focal_requesting"]
    clients = [client_for(user) for _ in range(4)]
    # The four requests have all validated the form and reach the write at the same moment: the
    # window a double click (or a proxy retrying) falls into.
    all_validated = threading.Barrier(4, timeout=10)
    real_submit_once = question_views.submit_once

    def submitted_together(**kwargs):
        all_validated.wait()
        return real_submit_once(**kwargs)

    key = str(uuid.uuid4())
    data = {"request_key": key, "objective": world.objective.pk, "text": PASTED}
    url = reverse("cooperations:questions_submit", args=[world.cooperation.pk])
    with mock.patch.object(question_views, "submit_once", side_effect=submitted_together):
        responses = post_at_once(clients, url, data)

    assert [response.status_code for response in responses] == [302] * 4
    assert {response["Location"] for response in responses} == {f"{world.cooperation.get_absolute_url()}#preguntas"}
    assert list(Question.objects.filter(number__gte=2).values_list("number", flat=True).order_by("number")) == [2, 3]
    assert SubmittedRequest.objects.get().submitted_by == user
