"""A session entered by mistake is deleted by OEA staff from the cooperation's pages, after a
confirmation page; the cooperation's history keeps it. A session that questions or steps depend
on is not deleted, and the page names them (issue 13, item 11)."""

import pytest
from django.urls import reverse

from cooperations.models import Question, Session
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def _url(world, session):
    return reverse("cooperations:session_delete", args=[world.cooperation.pk, session.pk])


def test_staff_confirm_and_delete_a_session_entered_by_mistake_and_the_history_keeps_it(world, client_for):
    mistake = SessionFactory(cooperation=world.cooperation, order=7, title="Sesión duplicada por error")
    staff = world.users["oea"]
    client = client_for(staff)
    detail = client.get(world.cooperation.get_absolute_url()).content.decode()
    assert _url(world, mistake) in detail  # «Eliminar» beside the session

    confirmation = client.get(_url(world, mistake))
    assert confirmation.status_code == 200
    assert "Eliminar la sesión «Sesión duplicada por error»" in confirmation.content.decode()
    assert Session.objects.filter(pk=mistake.pk).exists()  # opening the page deletes nothing

    response = client.post(_url(world, mistake))

    assert response.status_code == 302
    assert not Session.objects.filter(pk=mistake.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Se eliminó la sesión «Sesión duplicada por error»" in page
    history = client.get(reverse("cooperations:history", args=[world.cooperation.pk])).content.decode()
    assert "Eliminó sesión «Sesión duplicada por error»" in history
    deletion = Session.history.get(id=mistake.pk, history_type="-")
    assert deletion.history_user == staff


def test_a_session_with_questions_answered_in_it_and_steps_after_it_is_not_deleted(world, client_for):
    Question.objects.filter(pk=world.question.pk).update(answered_in_session=world.session)
    client = client_for(world.users["oea"])

    page = client.get(_url(world, world.session)).content.decode()
    assert "no se puede eliminar" in page
    assert str(world.question) in page and str(world.step) in page
    assert "Eliminar la sesión</button>" not in page

    response = client.post(_url(world, world.session))

    assert response.status_code == 200
    refused = response.content.decode()
    assert "No se puede eliminar la sesión" in refused
    assert "las preguntas respondidas en ella (1. " in refused and "los pasos que la siguen (" in refused
    assert Session.objects.filter(pk=world.session.pk).exists()
    world.question.refresh_from_db()
    assert world.question.answered_in_session_id == world.session.pk


def test_focal_points_and_managers_cannot_delete_a_session(world, client_for):
    mistake = SessionFactory(cooperation=world.cooperation, order=7)
    for role in ("focal_requesting", "focal_providing", "manager"):
        assert client_for(world.users[role]).post(_url(world, mistake)).status_code == 403
    assert client_for(world.users["focal_other"]).post(_url(world, mistake)).status_code == 404
    assert Session.objects.filter(pk=mistake.pk).exists()
    detail = client_for(world.users["focal_requesting"]).get(world.cooperation.get_absolute_url()).content.decode()
    assert _url(world, mistake) not in detail


def test_the_session_form_links_to_deleting_it(world, client_for):
    page = (
        client_for(world.users["oea"])
        .get(reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk]))
        .content.decode()
    )
    assert "Eliminar sesión" in page and _url(world, world.session) in page
