"""Every cooperation view × every role × own / other institution."""

import pytest
from django.test import Client
from django.urls import reverse

from cooperations.calendar import personal_feed_token

ROLES = ["anonymous", "oea", "manager", "odes", "admin", "focal_requesting", "focal_providing", "focal_other"]
VIEWERS = {
    "oea": 200,
    "manager": 200,
    "admin": 200,
    "focal_requesting": 200,
    "focal_providing": 200,
    "focal_other": 404,
    "odes": 403,
}
EDITORS = {
    "oea": 200,
    "admin": 200,
    "manager": 403,
    "focal_requesting": 403,
    "focal_providing": 403,
    "focal_other": 404,
    "odes": 403,
}


def expected_table(w):
    c, q, d, v, s, st = w.cooperation.pk, w.question.pk, w.deliverable.pk, w.version.pk, w.session.pk, w.step.pk
    everyone_with_area = {**VIEWERS, "focal_other": 200}
    return [
        ("get", reverse("cooperations:list"), everyone_with_area),
        ("get", reverse("cooperations:deadlines"), everyone_with_area),
        ("get", reverse("cooperations:create"), {**EDITORS, "focal_other": 403}),
        ("get", reverse("cooperations:detail", args=[c]), VIEWERS),
        ("get", reverse("cooperations:calendar", args=[c]), VIEWERS),
        ("get", reverse("cooperations:edit", args=[c]), EDITORS),
        ("get", reverse("cooperations:participants", args=[c]), EDITORS),
        ("get", reverse("cooperations:steps", args=[c]), EDITORS),
        ("get", reverse("cooperations:session_create", args=[c]), EDITORS),
        ("get", reverse("cooperations:session_edit", args=[c, s]), EDITORS),
        ("post", reverse("cooperations:step_toggle", args=[c, st]), {**EDITORS, "oea": 302, "admin": 302}),
        (
            "get",
            reverse("cooperations:history", args=[c]),
            {**VIEWERS, "focal_requesting": 403, "focal_providing": 403},
        ),
        ("get", reverse("cooperations:questions_submit", args=[c]), {**EDITORS, "focal_requesting": 200}),
        ("get", reverse("cooperations:question_answer", args=[q]), {**EDITORS, "focal_providing": 200}),
        ("get", reverse("cooperations:question_attachment", args=[q]), VIEWERS),
        (
            "get",
            reverse("cooperations:deliverable_create", args=[c]),
            {**EDITORS, "focal_requesting": 200, "focal_providing": 200},
        ),
        ("get", reverse("cooperations:deliverable_version_upload", args=[d]), {**EDITORS, "focal_requesting": 200}),
        ("get", reverse("cooperations:version_download", args=[v]), VIEWERS),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_cooperation_view_answers_each_role_as_the_table_says(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    failures = []
    for method, url, expected in expected_table(world):
        response = getattr(client, method)(url)
        wanted = expected[role] if role != "anonymous" else 302
        if response.status_code != wanted:
            failures.append(f"{method.upper()} {url}: {response.status_code} (expected {wanted})")
        if role == "anonymous" and response.status_code == 302:
            assert response.url.startswith(reverse("login")), url
    assert not failures, "\n".join(failures)


def test_the_table_covers_every_cooperation_url(world):
    from cooperations.urls import urlpatterns

    covered = {url for _method, url, _expected in expected_table(world)}
    names = {pattern.name for pattern in urlpatterns} - {"personal_calendar"}  # token feed: own test
    covered_names = set()
    from django.urls import resolve

    for url in covered:
        covered_names.add(resolve(url).url_name)
    assert names == covered_names


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
