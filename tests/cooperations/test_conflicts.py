"""Two people edit the same record: the second sees exactly what the first changed since the
second opened the page, is refused only where both changed the same field, and otherwise both
edits are kept (issue 13, item 9)."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperations.models import Participation
from tests.cooperations.test_editing import management, session_post
from tests.factories import ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(world):
    """Three participant rows, saved once through the page before anybody opens it again."""
    names = ["Ana Quispe", "Beatriz Ruiz", "Carla Soto"]
    participations = [
        ParticipationFactory(
            cooperation=world.cooperation, order=number, person=PersonFactory(full_name=name), position="Especialista"
        )
        for number, name in enumerate(names, start=1)
    ]
    return participations


def participants_post(world, rows, revision, **changes):
    data = {"expected_revision": revision, **management("parts", len(rows), len(rows))}
    for index, row in enumerate(rows):
        data.update(
            {
                f"parts-{index}-id": row.pk,
                f"parts-{index}-order": row.order,
                f"parts-{index}-full_name": row.person.full_name,
                f"parts-{index}-position": row.position,
                f"parts-{index}-institution": row.institution_id,
                f"parts-{index}-delegation": row.delegation_id or "",
                f"parts-{index}-note": row.note,
            }
        )
    data.update(changes)
    return data


def two_people(world):
    first, second = Client(), Client()
    first.force_login(world.users["oea"])
    second.force_login(world.users["admin"])
    return first, second


def test_editing_row_3_is_saved_when_someone_edited_row_2_meanwhile(world, rows):
    first, second = two_people(world)
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    opened = world.cooperation.revision  # both open the page at this revision

    assert (
        first.post(url, participants_post(world, rows, opened, **{"parts-1-position": "Directora"})).status_code == 302
    )
    response = second.post(url, participants_post(world, rows, opened, **{"parts-2-position": "Asesora"}))

    assert response.status_code == 302
    positions = dict(Participation.objects.filter(cooperation=world.cooperation).values_list("order", "position"))
    assert positions == {1: "Especialista", 2: "Directora", 3: "Asesora"}
    page = second.get(world.cooperation.get_absolute_url()).content.decode()
    assert "otra persona guardó otros cambios en este registro: se conservaron" in page


def test_the_same_field_changed_by_both_is_refused_showing_only_what_changed_since_opening(world, rows):
    first, second = two_people(world)
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    # A change saved before the second person opened the page: not "since you opened it".
    assert (
        first.post(
            url, participants_post(world, rows, world.cooperation.revision, **{"parts-0-note": "Antes"})
        ).status_code
        == 302
    )
    world.cooperation.refresh_from_db()
    opened = world.cooperation.revision
    for row in rows:
        row.refresh_from_db()

    assert (
        first.post(url, participants_post(world, rows, opened, **{"parts-1-position": "Directora"})).status_code == 302
    )
    response = second.post(
        url, participants_post(world, rows, opened, **{"parts-1-position": "Jefa", "parts-2-position": "Asesora"})
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "No se guardó: usted y otra persona cambiaron los mismos datos" in body
    assert (
        "Participantes, fila 2 · <strong>Cargo</strong>: usted escribió «Jefa»; la otra persona guardó «Directora»"
        in body
    )
    assert "Lo que otra persona cambió desde que usted abrió la página:" in body
    assert "«Especialista» → «Directora»" in body
    assert "«—» → «Antes»" not in body  # saved before the page was opened
    assert "Estos son sus cambios" not in body
    # The page keeps the user's values for the conflict and their other edits.
    assert 'value="Jefa"' in body and 'value="Asesora"' in body
    positions = dict(Participation.objects.filter(cooperation=world.cooperation).values_list("order", "position"))
    assert positions == {1: "Especialista", 2: "Directora", 3: "Especialista"}


def test_after_a_conflict_saving_again_keeps_the_other_rows_of_the_other_person(world, rows):
    first, second = two_people(world)
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    opened = world.cooperation.revision
    assert (
        first.post(
            url,
            participants_post(world, rows, opened, **{"parts-1-position": "Directora", "parts-0-note": "Nota de A"}),
        ).status_code
        == 302
    )
    conflict = second.post(url, participants_post(world, rows, opened, **{"parts-1-position": "Jefa"}))
    assert conflict.status_code == 200

    # The user saves the page as it came back (their value for the conflict, the others' elsewhere).
    world.cooperation.refresh_from_db()
    again = second.post(
        url,
        participants_post(
            world, rows, world.cooperation.revision, **{"parts-1-position": "Jefa", "parts-0-note": "Nota de A"}
        ),
    )
    assert again.status_code == 302
    stored = {p.order: (p.position, p.note) for p in Participation.objects.filter(cooperation=world.cooperation)}
    assert stored[1] == ("Especialista", "Nota de A") and stored[2][0] == "Jefa"


def test_a_conflict_page_shows_the_others_change_in_a_field_the_user_left_alone(world, rows):
    first, second = two_people(world)
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    opened = world.cooperation.revision
    assert (
        first.post(
            url,
            participants_post(world, rows, opened, **{"parts-1-position": "Directora", "parts-0-note": "Nota de A"}),
        ).status_code
        == 302
    )
    body = second.post(url, participants_post(world, rows, opened, **{"parts-1-position": "Jefa"})).content.decode()
    assert 'name="parts-0-note" value="Nota de A"' in body or 'value="Nota de A"' in body


def test_two_people_editing_different_fields_of_a_session_are_both_kept(world):
    first, second = two_people(world)
    url = reverse("cooperations:session_edit", args=[world.cooperation.pk, world.session.pk])
    # The page as both opened it.
    opened = session_post(
        world.session, platform=world.session.platform, recording_access_code=world.session.recording_access_code
    )
    assert first.post(url, {**opened, "platform": "Zoom OEA"}).status_code == 302

    response = second.post(url, {**opened, "summary": "Se presentó el programa."})

    assert response.status_code == 302
    world.session.refresh_from_db()
    assert (world.session.platform, world.session.summary) == ("Zoom OEA", "Se presentó el programa.")
