"""A step can have several responsible institutions; each one's focal points see it in «Plazos»
and in their calendar and can mark it done (issue 13, item 4)."""

import pytest
from django.core import management
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from cooperations.calendar import personal_feed_token
from cooperations.models import Cooperation, Step

from .test_editing import management as management_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(world):
    """«El MTPE y el MTEySS compartirán…», due 7 June 2024, both ministries responsible."""
    from tests.factories import StepFactory

    return StepFactory(
        cooperation=world.cooperation,
        after_session=world.session,
        text="El MTPE y el MTEySS compartirán las presentaciones de la primera sesión.",
        responsible_institutions=[world.peru, world.paraguay],
    )


def test_the_seed_steps_that_name_both_ministries_have_both(db):
    management.call_command("load_seed_data", verbosity=0)
    shared = {
        (step.cooperation_id, step.text[:50].strip()): step.responsible_names
        for step in Step.objects.prefetch_related("responsible_institutions")
        if len(step.responsible_names) > 1
    }
    assert shared == {
        (1, "Intercambio de documentos e información relevante"): ["MTEySS", "MTPE"],
        (2, "El MITRADEL y el MTPE compartirán las presentacion"): ["MITRADEL", "MTPE"],
        (4, "Intercambio de documentos e información relevante"): ["MT", "STPS"],
        (4, "Ambos Ministerios enviaron las presentaciones que"): ["MT", "STPS"],
    }
    june_7 = Cooperation.objects.get(pk=2).steps.get(due_date="2024-06-07")
    assert june_7.responsible_text == "MITRADEL y MTPE"


def test_the_record_shows_every_responsible_institution(world, client_for, shared):
    page = client_for(world.users["oea"]).get(world.cooperation.get_absolute_url()).content.decode()
    assert "Responsables: MTEySS y MTPE" in page  # Paraguay before Perú


def test_each_responsible_institutions_focal_point_sees_the_step_in_plazos_and_the_calendar(world, client_for, shared):
    for role in ("focal_requesting", "focal_providing"):
        user = world.users[role]
        plazos = client_for(user).get(reverse("cooperations:deadlines")).content.decode()
        assert "compartirán las presentaciones" in plazos, role
        assert "MTEySS y MTPE" in plazos
        feed = client_for(user).get(reverse("cooperations:personal_calendar", args=[personal_feed_token(user)]))
        assert b"Plazo (MTEySS\\, MTPE): El MTPE y el MTEySS compartir" in feed.content
    other = client_for(world.users["focal_other"]).get(reverse("cooperations:deadlines")).content.decode()
    assert "compartirán las presentaciones" not in other


def test_a_focal_point_marks_done_a_step_of_their_institution_and_the_record_gets_a_new_revision(
    world, client_for, shared
):
    client = client_for(world.users["focal_providing"])
    before = Cooperation.objects.get(pk=world.cooperation.pk).revision
    detail = client.get(world.cooperation.get_absolute_url()).content.decode()
    assert detail.count("Marcar cumplido") == 1  # the shared step; world.step is Peru's alone
    response = client.post(
        reverse("cooperations:step_toggle", args=[world.cooperation.pk, shared.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Marcar pendiente" in response.content.decode()
    shared.refresh_from_db()
    assert shared.done
    assert Cooperation.objects.get(pk=world.cooperation.pk).revision == before + 1
    refused = client.post(reverse("cooperations:step_toggle", args=[world.cooperation.pk, world.step.pk]))
    assert refused.status_code == 403
    world.step.refresh_from_db()
    assert not world.step.done


def test_a_focal_point_marks_a_deadline_done_from_plazos(world, client_for, shared):
    client = client_for(world.users["focal_requesting"])
    response = client.post(
        reverse("cooperations:step_toggle", args=[world.cooperation.pk, shared.pk]), {"back": "deadlines"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cooperations:deadlines")
    page = client.get(reverse("cooperations:deadlines")).content.decode()
    assert "Se marcó el plazo como cumplido." in page
    assert "compartirán las presentaciones" not in page


def test_staff_give_a_step_several_responsible_institutions_in_the_steps_table(world, client_for):
    client = client_for(world.users["oea"])
    rows = {
        "expected_revision": world.cooperation.revision,
        **management_form("parts", 2, 1),
        "parts-0-id": world.step.pk,
        "parts-0-order": 1,
        "parts-0-after_session": world.session.pk,
        "parts-0-text": world.step.text,
        "parts-0-responsible_institutions": [world.peru.pk, world.paraguay.pk],
        "parts-0-due_date": "2024-06-07",
        "parts-1-order": 2,
        "parts-1-after_session": world.session.pk,
        "parts-1-text": "El MTEySS enviará los planes curriculares.",
        "parts-1-responsible_institutions": [world.paraguay.pk],
        "parts-1-due_date": "",
    }
    url = reverse("cooperations:steps", args=[world.cooperation.pk])
    assert client.post(url, rows).status_code == 302
    assert {
        step.text: sorted(i.acronym for i in step.responsible_institutions.all())
        for step in Step.objects.filter(cooperation=world.cooperation)
    } == {world.step.text: ["MTEySS", "MTPE"], "El MTEySS enviará los planes curriculares.": ["MTEySS"]}
    form_page = client.get(url).content.decode()
    assert form_page.count('name="parts-0-responsible_institutions"') == 2  # both parties (no OEA here)
    assert form_page.count("checked") == 3


def test_the_migration_keeps_each_steps_responsible_institution():
    """Run inside the test's transaction (PostgreSQL's schema changes are transactional), so the
    rollback leaves the shared test database as it was."""
    executor = MigrationExecutor(connection)
    before, after = (
        ("cooperations", "0007_long_text_max_lengths"),
        ("cooperations", "0008_step_several_responsible_institutions"),
    )
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    country = old.get_model("cooperations", "Country").objects.create(
        iso_code="PE", name="Perú", time_zone="America/Lima"
    )
    institution = old.get_model("cooperations", "Institution").objects.create(
        name="MTPE", acronym="MTPE", country=country
    )
    other = old.get_model("cooperations", "Institution").objects.create(
        name="MTEySS", acronym="MTEySS", country=country
    )
    call = old.get_model("cooperations", "Call").objects.create(number=99, year=2024)
    cooperation = old.get_model("cooperations", "Cooperation").objects.create(
        title="t", short_name="t", topic="t", call=call, requesting_institution=institution, providing_institution=other
    )
    OldStep = old.get_model("cooperations", "Step")
    with_one = OldStep.objects.create(cooperation=cooperation, text="uno", responsible_institution=institution)
    without = OldStep.objects.create(cooperation=cooperation, text="ninguno")
    with connection.cursor() as cursor:  # no pending foreign-key checks before altering the table
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([after])
    new = executor.loader.project_state([after]).apps
    NewStep = new.get_model("cooperations", "Step")
    assert list(NewStep.objects.get(pk=with_one.pk).responsible_institutions.values_list("acronym", flat=True)) == [
        "MTPE"
    ]
    assert not NewStep.objects.get(pk=without.pk).responsible_institutions.exists()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
