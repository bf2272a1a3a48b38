"""Participants land in the delegation of their institution, and only ministries are parties
(issue 13, item 3)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperations.models import Cooperation, Institution, Participation
from tests.factories import InstitutionFactory, ParticipationFactory, country

from .test_editing import header_post, management

pytestmark = pytest.mark.django_db


def participant_row(index, *, institution, delegation="", name="María Pérez", row_id=""):
    return {
        f"parts-{index}-id": row_id,
        f"parts-{index}-order": index + 1,
        f"parts-{index}-full_name": name,
        f"parts-{index}-position": "Especialista",
        f"parts-{index}-institution": institution.pk,
        f"parts-{index}-delegation": delegation,
        f"parts-{index}-note": "",
    }


@pytest.fixture
def oas():
    return InstitutionFactory(name="Organización de los Estados Americanos", acronym="OEA", country=None, kind="oas")


@pytest.fixture
def peru_mission():
    return InstitutionFactory(
        name="Misión Permanente de Perú ante la OEA", acronym="", country=country("PE"), kind="permanent_mission"
    )


def test_a_participant_left_at_the_default_delegation_goes_to_her_institutions_country(
    world, client_for, oas, peru_mission
):
    client = client_for(world.users["oea"])
    response = client.post(
        reverse("cooperations:participants", args=[world.cooperation.pk]),
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 4, 0),
            **participant_row(0, institution=world.peru, name="Ana MTPE"),
            **participant_row(1, institution=world.paraguay, name="Luis MTEySS"),
            **participant_row(2, institution=peru_mission, name="Rosa Misión"),
            **participant_row(3, institution=oas, name="Jorge OEA"),
        },
    )
    assert response.status_code == 302
    delegations = dict(
        Participation.objects.filter(cooperation=world.cooperation).values_list("person__full_name", "delegation__name")
    )
    assert delegations == {"Ana MTPE": "Perú", "Luis MTEySS": "Paraguay", "Rosa Misión": "Perú", "Jorge OEA": None}
    page = client.get(world.cooperation.get_absolute_url()).content.decode()
    assert page.index("Ana MTPE") < page.index("Luis MTEySS") < page.index("Jorge OEA")


def test_a_delegation_that_contradicts_the_institution_is_refused_and_the_row_kept(world, client_for):
    client = client_for(world.users["oea"])
    response = client.post(
        reverse("cooperations:participants", args=[world.cooperation.pk]),
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 1, 0),
            **participant_row(0, institution=world.peru, delegation=world.paraguay.country_id, name="Ana Quispe"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "MTPE es de Perú: su participante va en la delegación de Perú." in page
    assert 'value="Ana Quispe"' in page
    assert not Participation.objects.filter(cooperation=world.cooperation).exists()


def test_changing_an_institution_moves_the_participant_to_its_delegation(world, client_for):
    row = ParticipationFactory(cooperation=world.cooperation)  # MTPE, delegation Perú
    client = client_for(world.users["oea"])
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    form_page = client.get(url).content.decode()
    assert "Según la institución" in form_page
    response = client.post(
        url,
        {
            "expected_revision": world.cooperation.revision,
            **management("parts", 1, 1),
            **participant_row(0, institution=world.paraguay, name=row.person.full_name, row_id=row.pk),
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.institution, row.delegation) == (world.paraguay, world.paraguay.country)


def test_the_model_refuses_a_ministry_participant_under_the_oea_and_an_oea_one_under_a_country(world, oas):
    with pytest.raises(ValidationError) as error:
        Participation(
            cooperation=world.cooperation, person_id=None, institution=world.peru, delegation=None
        ).full_clean(exclude=["person"])
    assert "delegación de Perú" in str(error.value.message_dict["delegation"])
    with pytest.raises(ValidationError) as error:
        Participation(cooperation=world.cooperation, institution=oas, delegation=world.peru.country).full_clean(
            exclude=["person"]
        )
    assert "delegación de la OEA" in str(error.value.message_dict["delegation"])


def test_another_international_body_may_be_placed_in_a_countrys_delegation(world):
    ilo = InstitutionFactory(name="Organización Internacional del Trabajo", acronym="OIT", country=None, kind="other")
    Participation(cooperation=world.cooperation, institution=ilo, delegation=world.peru.country).full_clean(
        exclude=["person"]
    )


@pytest.mark.parametrize("kind", ["oas", "permanent_mission"])
def test_only_ministries_can_be_the_parties_of_a_cooperation(world, client_for, kind):
    not_a_ministry = InstitutionFactory(name="No ministerio", acronym="NM", kind=kind)
    client = client_for(world.users["oea"])
    url = reverse("cooperations:edit", args=[world.cooperation.pk])
    assert f'value="{not_a_ministry.pk}"' not in client.get(url).content.decode()
    response = client.post(url, header_post(world, providing_institution=not_a_ministry.pk, title="Título nuevo"))
    assert response.status_code == 200
    assert 'value="Título nuevo"' in response.content.decode()
    world.cooperation.refresh_from_db()
    assert world.cooperation.providing_institution == world.paraguay
    with pytest.raises(ValidationError) as error:
        Cooperation(
            title="t",
            short_name="t",
            topic="t",
            call=world.cooperation.call,
            requesting_institution=world.peru,
            providing_institution=not_a_ministry,
        ).full_clean()
    assert "solo los ministerios pueden ser las partes" in str(error.value.message_dict["providing_institution"])
    assert Institution.objects.filter(kind=kind).exists()
