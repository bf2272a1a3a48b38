"""What the cooperation pages show each role beyond who may open them (that is the authorization
walk's, tests/test_authorization_walk.py): scoped lists, access codes, edit controls, and the
personal calendar's token."""

from django.urls import reverse

from cooperations.calendar import personal_feed_token


def test_a_focal_point_lists_only_its_institutions_cooperations(world, client_for):
    client = client_for(world.users["focal_other"])
    names = [c.short_name for c in client.get(reverse("cooperations:list")).context["page"]]
    assert names == ["Chile – México"]
    client = client_for(world.users["focal_requesting"])
    assert [c.short_name for c in client.get(reverse("cooperations:list")).context["page"]] == ["Perú – Paraguay"]


def test_access_codes_show_to_staff_and_the_two_institutions_only(world, client_for):
    url = reverse("cooperations:detail", args=[world.cooperation.pk])
    for role in ("oea", "focal_requesting", "focal_providing", "admin"):
        assert "Af9U=gZ*" in client_for(world.users[role]).get(url).content.decode(), role
    manager_page = client_for(world.users["manager"]).get(url).content.decode()
    assert "Af9U=gZ*" not in manager_page
    assert "Código de acceso reservado a las delegaciones" in manager_page


def test_managers_see_no_edit_controls(world, client_for):
    body = (
        client_for(world.users["manager"])
        .get(reverse("cooperations:detail", args=[world.cooperation.pk]))
        .content.decode()
    )
    for control in (
        "Editar datos generales",
        "Añadir sesión",
        "Editar participantes",
        "Marcar cumplido",
        "Enviar preguntas",
        "Registrar entregable",
        "Subir nueva versión",
        "Responder",
    ):
        assert control not in body, control


def test_focal_points_see_only_the_actions_that_are_theirs(world, client_for):
    url = reverse("cooperations:detail", args=[world.cooperation.pk])
    requesting = client_for(world.users["focal_requesting"]).get(url).content.decode()
    providing = client_for(world.users["focal_providing"]).get(url).content.decode()
    assert "Enviar preguntas" in requesting and "Enviar preguntas" not in providing
    assert "Editar respuesta" in providing and "Editar respuesta" not in requesting
    assert "Subir nueva versión" in requesting and "Subir nueva versión" not in providing
    assert "Editar datos generales" not in requesting + providing


def test_the_personal_calendar_needs_the_users_own_token(world, client):
    user = world.users["focal_requesting"]
    token = personal_feed_token(user)
    assert client.get(reverse("cooperations:personal_calendar", args=[token])).status_code == 200
    assert (
        client.get(
            reverse("cooperations:personal_calendar", args=[token[:-1] + ("1" if token[-1] == "0" else "0")])
        ).status_code
        == 404
    )
    assert client.get(reverse("cooperations:personal_calendar", args=["abc"])).status_code == 404
    odes_token = personal_feed_token(world.users["odes"])
    assert client.get(reverse("cooperations:personal_calendar", args=[odes_token])).status_code == 404
