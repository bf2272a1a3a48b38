"""OEA staff edit the record in the browser; concurrent edits never overwrite silently."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cooperations.models import Cooperation, Participation, Question, Session, Step
from tests.factories import ParticipationFactory, SessionFactory, SpecificObjectiveFactory, aware
from tests.forms import with_key

pytestmark = pytest.mark.django_db


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def header_post(world, **changes):
    c = world.cooperation
    data = {
        "cooperation-title": c.title,
        "cooperation-short_name": c.short_name,
        "cooperation-topic": c.topic,
        "cooperation-call": c.call_id,
        "cooperation-requesting_institution": c.requesting_institution_id,
        "cooperation-providing_institution": c.providing_institution_id,
        "cooperation-modality": c.modality,
        "cooperation-status": c.status,
        "cooperation-website": "",
        "cooperation-connection_url": "",
        "cooperation-description": "",
        "cooperation-general_objective": c.general_objective,
        "cooperation-product_description": "",
        "cooperation-version_label": "",
        "cooperation-version_date": "",
        "cooperation-expected_revision": c.revision,
        **management("objectives", 1, 1),
        "objectives-0-id": world.objective.pk,
        "objectives-0-order": 1,
        "objectives-0-text": world.objective.text,
        "objectives-0-short_label": "",
        **management("methodology", 0, 0),
    }
    data.update({f"cooperation-{key}": value for key, value in changes.items()})
    return data


def test_staff_create_a_cooperation_with_its_objectives(world, client_for):
    client = client_for(world.users["oea"])
    data = header_post(world, title="Cooperación Perú – Chile sobre diálogo social", short_name="Perú – Chile")
    data.update(
        {
            **management("objectives", 2, 0),
            "objectives-0-order": 1,
            "objectives-0-text": "Conocer",
            "objectives-0-short_label": "",
            "objectives-1-order": 2,
            "objectives-1-text": "Sensibilizar",
            "objectives-1-short_label": "",
            "cooperation-expected_revision": "",
        }
    )
    data.pop("objectives-0-id")
    response = client.post(reverse("cooperations:create"), {**data, "cooperation-request_key": str(uuid.uuid4())})
    created = Cooperation.objects.get(short_name="Perú – Chile")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert list(created.objectives.values_list("text", flat=True)) == ["Conocer", "Sensibilizar"]
    assert created.revision == 1


def test_same_institution_on_both_sides_is_refused_in_spanish(world, client_for):
    client = client_for(world.users["oea"])
    response = client.post(
        reverse("cooperations:edit", args=[world.cooperation.pk]),
        header_post(world, providing_institution=world.peru.pk, title="Nuevo título escrito"),
    )
    body = response.content.decode()
    assert "deben ser distintas" in body
    assert "Nuevo título escrito" in body


def test_deleting_an_objective_that_has_questions_is_refused_naming_them(world, client_for):
    empty = SpecificObjectiveFactory(cooperation=world.cooperation, order=2, text="Sin preguntas")
    data = {
        **header_post(world, title="Título cambiado"),
        **management("objectives", 2, 2),
        "objectives-0-DELETE": "on",
        "objectives-1-id": empty.pk,
        "objectives-1-order": 2,
        "objectives-1-text": empty.text,
        "objectives-1-short_label": "",
        "objectives-1-DELETE": "on",
    }

    response = client_for(world.users["oea"]).post(reverse("cooperations:edit", args=[world.cooperation.pk]), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "No se puede eliminar el objetivo «Mecánica operativa» porque tiene preguntas" in body
    assert escape(str(world.question)) in body
    assert "Sin preguntas»" not in body  # the objective without questions may go: not named
    world.cooperation.refresh_from_db()
    assert world.cooperation.title != "Título cambiado"
    assert set(world.cooperation.objectives.all()) == {world.objective, empty}
    assert Question.objects.filter(pk=world.question.pk).exists()


def test_a_second_save_from_a_stale_page_is_refused_and_shows_what_changed(world):
    first, second = Client(), Client()
    first.force_login(world.users["oea"])
    second.force_login(world.users["admin"])
    url = reverse("cooperations:edit", args=[world.cooperation.pk])
    stale = header_post(world, topic="Tema de la segunda persona")

    assert first.post(url, header_post(world, topic="Empleabilidad digital")).status_code == 302
    response = second.post(url, stale)

    body = response.content.decode()
    assert response.status_code == 200
    assert "No se guardó: usted y otra persona cambiaron los mismos datos" in body
    assert "usted escribió «Tema de la segunda persona»; la otra persona guardó «Empleabilidad digital»" in body
    assert "Lo que otra persona cambió desde que usted abrió la página:" in body
    assert "«Formación en habilidades digitales» → «Empleabilidad digital»" in body
    assert world.users["oea"].username in body
    assert 'value="Tema de la segunda persona"' in body
    world.cooperation.refresh_from_db()
    assert world.cooperation.topic == "Empleabilidad digital"
    # Having seen the other change, the user may save on purpose.
    again = second.post(url, {**stale, "cooperation-expected_revision": world.cooperation.revision})
    assert again.status_code == 302
    world.cooperation.refresh_from_db()
    assert world.cooperation.topic == "Tema de la segunda persona"


def session_post(session, **changes):
    data = {
        "order": session.order,
        "kind": session.kind,
        "title": session.title,
        "status": session.status,
        "time_zone": session.time_zone,
        "date": "2022-05-17",
        "start_time": "09:00",
        "end_time": "12:00",
        "date_label": "",
        "platform": "Zoom",
        "planned_contents": "",
        "summary": "",
        "recording_url": "",
        "recording_access_code": "Af9U=gZ*",
        "recording_available_until": "",
        "expected_revision": session.revision,
    }
    data.update(changes)
    return data


def test_staff_add_a_session_with_undecided_date_then_give_it_a_date(world, client_for):
    client = client_for(world.users["oea"])
    create = client.post(
        reverse("cooperations:session_create", args=[world.cooperation.pk]),
        with_key(
            {
                "order": 2,
                "kind": "regular",
                "title": "Segunda sesión",
                "status": "planned",
                "time_zone": "America/Lima",
                "date": "",
                "start_time": "",
                "end_time": "",
                "date_label": "Segunda quincena de agosto (por definir)",
                "platform": "",
                "planned_contents": "Sensibilización",
                "summary": "",
                "recording_url": "",
                "recording_access_code": "",
                "recording_available_until": "",
                "expected_revision": "",
            }
        ),
    )
    assert create.status_code == 302
    session = Session.objects.get(title="Segunda sesión")
    assert session.is_undecided and session.date_label.startswith("Segunda quincena")

    edit = client.post(
        reverse("cooperations:session_edit", args=[world.cooperation.pk, session.pk]),
        session_post(session, date="2023-02-28", start_time="09:00", end_time="11:00"),
    )
    assert edit.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == aware(2023, 2, 28, 9)
    assert session.date_label == ""
    page = client.get(world.cooperation.get_absolute_url()).content.decode()
    assert '09:00–11:00 (Perú)</span> / <span class="session-time">11:00–13:00 (Paraguay)' in page


def test_a_session_without_date_or_label_is_refused_and_keeps_the_input(world, client_for):
    client = client_for(world.users["oea"])
    response = client.post(
        reverse("cooperations:session_create", args=[world.cooperation.pk]),
        {
            "order": 3,
            "kind": "regular",
            "title": "Tercera",
            "status": "planned",
            "time_zone": "America/Lima",
            "date": "",
            "start_time": "10:00",
            "end_time": "",
            "date_label": "",
            "platform": "Teams",
            "planned_contents": "Contenidos escritos",
            "summary": "",
            "recording_url": "",
            "recording_access_code": "",
            "recording_available_until": "",
            "expected_revision": "",
        },
    )
    body = response.content.decode()
    assert "Indique la fecha de la sesión para poder indicar la hora." in body
    assert "Contenidos escritos" in body
    assert not Session.objects.filter(title="Tercera").exists()


def test_a_stale_session_save_is_refused(world):
    first, second = Client(), Client()
    first.force_login(world.users["oea"])
    second.force_login(world.users["admin"])
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    stale = session_post(world.session, platform="Teams")
    assert first.post(url, session_post(world.session, platform="Zoom OEA")).status_code == 302
    response = second.post(url, stale)
    assert "No se guardó" in response.content.decode()
    assert "«—» → «Zoom OEA»" in response.content.decode()
    world.session.refresh_from_db()
    assert world.session.platform == "Zoom OEA"


def test_editing_a_session_appears_in_the_cooperation_history(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    client.post(url, session_post(world.session, summary="Se presentó el programa Generación Digital."))
    history = client.get(reverse("cooperations:history", args=[world.cooperation.pk])).content.decode()
    assert "Modificó sesión «Sesión»" in history
    assert "Se presentó el programa Generación Digital." in history
    manager_history = (
        client_for(world.users["manager"])
        .get(reverse("cooperations:history", args=[world.cooperation.pk]))
        .content.decode()
    )
    assert "Af9U=gZ*" not in manager_history


def test_history_hides_access_code_changes_from_managers(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    client.post(url, session_post(world.session, recording_access_code="nuevo-secreto"))
    history_url = reverse("cooperations:history", args=[world.cooperation.pk])
    assert "nuevo-secreto" in client.get(history_url).content.decode()
    manager_view = client_for(world.users["manager"]).get(history_url).content.decode()
    assert "nuevo-secreto" not in manager_view and "(oculto)" in manager_view


def test_participants_are_edited_in_a_formset(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    response = client.post(
        url,
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 1, 0),
            "parts-0-order": 1,
            "parts-0-full_name": "  Kelva   Morales ",
            "parts-0-position": "Consejera",
            "parts-0-institution": world.peru.pk,
            "parts-0-delegation": world.peru.country_id,
            "parts-0-note": "en los inicios de la cooperación",
        },
    )
    assert response.status_code == 302
    participation = Participation.objects.get(cooperation=world.cooperation)
    assert participation.person.full_name == "Kelva Morales"
    assert participation.note == "en los inicios de la cooperación"


def test_steps_are_edited_in_a_formset_and_overdue_ones_are_highlighted(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:steps", args=[world.cooperation.pk])
    response = client.post(
        url,
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 2, 1),
            "parts-0-id": world.step.pk,
            "parts-0-order": 1,
            "parts-0-after_session": world.session.pk,
            "parts-0-text": world.step.text,
            "parts-0-responsible_institutions": world.peru.pk,
            "parts-0-due_date": "2024-06-25",
            "parts-0-done": "on",
            "parts-1-order": 2,
            "parts-1-after_session": world.session.pk,
            "parts-1-text": "A más tardar el 30 de agosto: Perú enviará la versión preliminar del Plan de Trabajo",
            "parts-1-responsible_institutions": world.peru.pk,
            "parts-1-due_date": "2024-08-30",
        },
    )
    assert response.status_code == 302
    assert Step.objects.filter(cooperation=world.cooperation).count() == 2
    page = client.get(world.cooperation.get_absolute_url()).content.decode()
    assert page.count('badge text-bg-danger">Vencido') == 1
    assert "A más tardar el 30 de agosto de 2024" in page


def test_a_step_cannot_point_at_another_cooperations_session_or_institution(world, client_for):
    client = client_for(world.users["oea"])
    other_session = SessionFactory(cooperation=world.other)
    response = client.post(
        reverse("cooperations:steps", args=[world.cooperation.pk]),
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 1, 1),
            "parts-0-id": world.step.pk,
            "parts-0-order": 1,
            "parts-0-after_session": other_session.pk,
            "parts-0-text": "Cambiado",
            "parts-0-responsible_institutions": world.chile.pk,
            "parts-0-due_date": "",
        },
    )
    assert response.status_code == 200
    assert response.content.decode().count("Escoja una opción válida") == 2
    world.step.refresh_from_db()
    assert world.step.text != "Cambiado" and world.step.after_session == world.session


def test_several_participants_are_shown_and_saved_without_a_query_per_row(world, client_for):
    """Each row names its person and picks an institution and a delegation: the N+1 guard (zeal)
    fails this if any of them is fetched row by row."""
    client = client_for(world.users["oea"])
    rows = [ParticipationFactory(cooperation=world.cooperation) for _ in range(3)]
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    page = client.get(url).content.decode()
    assert all(row.person.full_name in page for row in rows)
    data = {"expected_revision": world.cooperation.revision, **management("parts", 3, 3)}
    for index, row in enumerate(rows):
        data.update(
            {
                f"parts-{index}-id": row.pk,
                f"parts-{index}-order": index + 1,
                f"parts-{index}-full_name": row.person.full_name,
                f"parts-{index}-position": "Director",
                f"parts-{index}-institution": world.paraguay.pk,
                f"parts-{index}-delegation": world.paraguay.country_id,
                f"parts-{index}-note": "",
            }
        )
    assert client.post(url, data).status_code == 302
    assert set(
        Participation.objects.filter(cooperation=world.cooperation).values_list("position", "institution", "delegation")
    ) == {("Director", world.paraguay.pk, world.paraguay.country_id)}


def test_marking_a_step_done_with_htmx_returns_the_updated_row(world, client_for):
    client = client_for(world.users["oea"])
    response = client.post(
        reverse("cooperations:step_toggle", args=[world.cooperation.pk, world.step.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Cumplido" in response.content.decode() and "Marcar pendiente" in response.content.decode()
    world.step.refresh_from_db()
    assert world.step.done


def step_rows_post(world, **changes):
    data = {
        "expected_revision": world.cooperation.revision,
        **management("parts", 1, 1),
        "parts-0-id": world.step.pk,
        "parts-0-order": 1,
        "parts-0-after_session": world.session.pk,
        "parts-0-text": world.step.text,
        "parts-0-responsible_institutions": world.peru.pk,
        "parts-0-due_date": "",
    }
    data.update({f"parts-0-{key}": value for key, value in changes.items()})
    return data


def test_a_stale_steps_page_keeps_a_step_marked_done_meanwhile_and_saves_the_text(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:steps", args=[world.cooperation.pk])
    assert client.get(url).status_code == 200
    assert not world.step.done
    stale = step_rows_post(world, text="Texto escrito en la página abierta antes")  # "done" unchecked

    toggle = reverse("cooperations:step_toggle", args=[world.cooperation.pk, world.step.pk])
    assert client.post(toggle, HTTP_HX_REQUEST="true").status_code == 200
    response = client.post(url, stale)

    # Another field of the same row: merged, the mark is not undone.
    assert response.status_code == 302
    world.step.refresh_from_db()
    assert world.step.done and world.step.text == "Texto escrito en la página abierta antes"


def test_a_focal_point_sees_its_own_deadlines(world, client_for):
    page = client_for(world.users["focal_requesting"]).get(reverse("cooperations:deadlines")).content.decode()
    assert world.step.text in page
    other = client_for(world.users["focal_providing"]).get(reverse("cooperations:deadlines")).content.decode()
    assert world.step.text not in other
