"""What the PFC pages show beyond who may open them (that is the authorization walk's,
tests/test_authorization_walk.py): managers see no edit controls, and the admin keeps the
history of an attendance mark."""

from django.urls import reverse


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


def test_the_admin_shows_the_history_of_an_attendance_mark(pfc, client_for):
    from capacity_plan.services import attendance_record

    odes = client_for("odes").user
    attendance_record(session=pfc.session, marks={pfc.servants[0].pk: "present"}, by=odes)
    attendance_record(session=pfc.session, marks={pfc.servants[0].pk: "absent"}, by=odes)
    mark = pfc.session.attendance.get()
    page = client_for("admin").get(reverse("admin:capacity_plan_attendance_history", args=[mark.pk]))
    assert page.status_code == 200
    assert mark.history.count() == 2
