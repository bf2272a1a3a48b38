"""Organisational units show their full name beside the acronym wherever they appear (issue 13,
item 13)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ODES = "ODES – Oficina de Descentralización"


def test_the_action_pages_name_the_unit_in_full(pfc, client_for):
    client = client_for("odes")
    assert ODES in client.get(reverse("capacity_plan:actions")).content.decode()
    assert ODES in client.get(reverse("capacity_plan:action", args=[pfc.action.pk])).content.decode()
    form = client.get(reverse("capacity_plan:action_edit", args=[pfc.action.pk])).content.decode()
    assert f">{ODES}</option>" in form
    assert "DGT – Dirección General de Trabajo</option>" in form


def test_the_catalogue_names_each_unit_once_in_full(pfc, client_for):
    body = client_for("manager").get(reverse("capacity_plan:catalogue") + "?mes=2025-04").content.decode()
    assert f'<h2 class="h5">{ODES}</h2>' in body


def test_a_unit_without_a_known_name_shows_its_acronym(pfc):
    from capacity_plan.models import OrganisationalUnit

    assert str(OrganisationalUnit.objects.get(acronym="OPLA")) == "OPLA"
