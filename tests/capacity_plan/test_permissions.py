"""Every PFC view × every role: ODES specialists and administrators work, managers read,
everybody else is refused; anonymous visitors are sent to sign in."""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from capacity_plan.urls import urlpatterns
from tests.factories import InstitutionFactory, focal_point_for

ROLES = ["anonymous", "odes", "admin", "manager", "oea", "focal"]
READ = {"odes": 200, "admin": 200, "manager": 200, "oea": 403, "focal": 403}
WRITE = {"odes": 200, "admin": 200, "manager": 403, "oea": 403, "focal": 403}


def table(pfc):
    indicator = pfc.hito4.indicators.first()
    return [
        (reverse("capacity_plan:home"), READ),
        (reverse("capacity_plan:milestone", args=[pfc.hito4.pk]), READ),
        (reverse("capacity_plan:actions"), READ),
        (reverse("capacity_plan:action", args=[pfc.action.pk]), READ),
        (reverse("capacity_plan:catalogue") + "?mes=2025-04", READ),
        (reverse("capacity_plan:guidance") + "?profile=new", READ),
        (reverse("capacity_plan:indicator_edit", args=[indicator.pk]), WRITE),
        (reverse("capacity_plan:measurement", args=[pfc.hito4.indicators.filter(source="manual").first().pk]), WRITE),
        (reverse("capacity_plan:review", args=[indicator.pk]), WRITE),
        (reverse("capacity_plan:action_create"), WRITE),
        (reverse("capacity_plan:action_edit", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:action_reschedule", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:action_cancel", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:session_create", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:survey_create", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:survey_import", args=[pfc.action.pk]), WRITE),
        (reverse("capacity_plan:attendance", args=[pfc.session.pk]), WRITE),
        (reverse("capacity_plan:attendance_import", args=[pfc.session.pk]), WRITE),
        (reverse("capacity_plan:participants_import"), WRITE),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_pfc_view_answers_each_role_as_the_table_says(pfc, make_user, role):
    client = Client()
    if role == "focal":
        client.force_login(focal_point_for(InstitutionFactory()))
    elif role != "anonymous":
        client.force_login(make_user(role))
    failures = []
    for url, expected in table(pfc):
        response = client.get(url)
        wanted = 302 if role == "anonymous" else expected[role]
        if response.status_code != wanted:
            failures.append(f"{url}: {response.status_code} (expected {wanted})")
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))
    assert not failures, "\n".join(failures)


def test_the_table_covers_every_pfc_url(pfc):
    covered = {resolve(url.split("?")[0]).url_name for url, _expected in table(pfc)}
    assert covered == {pattern.name for pattern in urlpatterns}


def test_managers_see_no_edit_controls(pfc, client_for):
    client = client_for("manager")
    for url in (
        reverse("capacity_plan:home"),
        reverse("capacity_plan:milestone", args=[pfc.hito4.pk]),
        reverse("capacity_plan:actions"),
        reverse("capacity_plan:action", args=[pfc.action.pk]),
    ):
        body = client.get(url).content.decode()
        for control in (
            "Nueva acción formativa",
            "Editar",
            "Marcar asistencia",
            "Importar",
            "Justificar",
            "registrar medición",
            "Reprogramar",
        ):
            assert control not in body, (url, control)


@pytest.mark.parametrize(
    "model",
    [
        "region",
        "organisationalunit",
        "theme",
        "recordingslot",
        "indicator",
        "measurement",
        "attendance",
        "publicservant",
    ],
)
def test_administrators_manage_pfc_reference_data_and_read_the_audit_trail(pfc, client_for, model):
    admin_client = client_for("admin")
    assert admin_client.get(reverse(f"admin:capacity_plan_{model}_changelist")).status_code == 200
    assert client_for("odes").get(reverse(f"admin:capacity_plan_{model}_changelist")).status_code == 302


def test_the_admin_shows_the_history_of_an_attendance_mark(pfc, client_for):
    from capacity_plan.services import attendance_record

    odes = client_for("odes").user
    attendance_record(session=pfc.session, marks={pfc.servants[0].pk: "present"}, by=odes)
    attendance_record(session=pfc.session, marks={pfc.servants[0].pk: "absent"}, by=odes)
    mark = pfc.session.attendance.get()
    page = client_for("admin").get(reverse("admin:capacity_plan_attendance_history", args=[mark.pk]))
    assert page.status_code == 200
    assert mark.history.count() == 2
