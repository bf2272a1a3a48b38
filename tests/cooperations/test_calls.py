"""OEA staff create a new call (convocatoria) from the cooperation form, without losing what
they typed (issue 13, item 13)."""

import pytest
from django.urls import reverse

from cooperations.models import Call, Cooperation

from .test_editing import header_post

pytestmark = pytest.mark.django_db


def test_the_cooperation_form_offers_a_new_call(world, client_for):
    page = client_for(world.users["oea"]).get(reverse("cooperations:create")).content.decode()
    assert "Nueva convocatoria" in page and 'name="call-number"' in page
    assert f'hx-post="{reverse("cooperations:call_create")}"' in page


def test_with_htmx_the_new_call_comes_back_chosen_in_the_call_picker(world, client_for):
    client = client_for(world.users["oea"])
    data = header_post(world, title="Lo que ya se escribió")
    data.update({"call-number": "18", "call-year": "2025"})
    response = client.post(reverse("cooperations:call_create"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    call = Call.objects.get(number=18)
    body = response.content.decode()
    assert body.startswith('<div id="call-picker">')  # only the picker: the rest of the page stays as typed
    assert f'<option value="{call.pk}" selected>18ª convocatoria (2025)</option>' in body
    assert "Se creó la 18ª convocatoria (2025); quedó elegida." in body
    assert 'name="call-number"' in body and 'value="18"' not in body  # ready for another one


def test_an_existing_number_is_refused_in_spanish_and_the_choice_kept(world, client_for):
    client = client_for(world.users["oea"])
    data = header_post(world)
    data.update({"call-number": str(world.cooperation.call.number), "call-year": "2030"})
    response = client.post(reverse("cooperations:call_create"), data, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ya existe una convocatoria con ese número: elíjala en la lista." in body
    assert f'<option value="{world.cooperation.call_id}" selected>' in body
    assert 'value="2030"' in body and '<details class="mb-3" open>' in body
    assert Call.objects.filter(number=world.cooperation.call.number).count() == 1


def test_without_javascript_the_form_comes_back_with_what_was_typed_and_the_new_call(world, client_for):
    client = client_for(world.users["oea"])
    data = header_post(world, title="Título nuevo a medio escribir")
    data.update({"call-number": "19", "call-year": "2026"})
    url = reverse("cooperations:call_create") + f"?cooperacion={world.cooperation.pk}"
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Título nuevo a medio escribir"' in body
    call = Call.objects.get(number=19)
    assert f'<option value="{call.pk}" selected>' in body
    # Nothing of the cooperation is saved until the user saves it.
    assert Cooperation.objects.get(pk=world.cooperation.pk).title != "Título nuevo a medio escribir"
    saved = client.post(
        reverse("cooperations:edit", args=[world.cooperation.pk]), {**data, "cooperation-call": call.pk}
    )
    assert saved.status_code == 302
    assert Cooperation.objects.get(pk=world.cooperation.pk).call == call


@pytest.mark.parametrize("role", ["manager", "focal_requesting"])
def test_only_staff_create_calls(world, client_for, role):
    response = client_for(world.users[role]).post(
        reverse("cooperations:call_create"), {"call-number": "20", "call-year": "2026"}
    )
    assert response.status_code == 403
    assert not Call.objects.filter(number=20).exists()
