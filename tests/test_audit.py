"""Audit trail: a change made in the browser to a cooperation's parts, a question, a deliverable,
an indicator measurement or an attendance mark is kept with who made it and when, and an
administrator reads it in the admin's history pages."""

import pytest
from django.urls import reverse

from capacity_plan.models import Attendance, Indicator, Measurement
from cooperations.models import Deliverable, Question, Step
from tests.capacity_plan.conftest import pfc  # noqa: F401  (fixture)
from tests.cooperations.conftest import world  # noqa: F401  (fixture)
from tests.forms import with_key

pytestmark = pytest.mark.django_db


def admin_history(client, obj) -> str:
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_cooperation_changes_are_kept_with_their_author_and_shown_to_an_admin(world, client_for):  # noqa: F811
    staff = client_for(world.users["oea"])
    step = world.step
    assert staff.post(reverse("cooperations:step_toggle", args=[world.cooperation.pk, step.pk])).status_code == 302

    focal = client_for(world.users["focal_providing"])
    response = focal.post(
        reverse("cooperations:question_answer", args=[world.question.pk]),
        {"written_answer": "Se atiende por ventanilla única.", "expected_revision": world.question.revision},
    )
    assert response.status_code == 302

    requesting = client_for(world.users["focal_requesting"])
    response = requesting.post(
        reverse("cooperations:deliverable_create", args=[world.cooperation.pk]),
        with_key(kind=Deliverable.Kind.FINAL_REPORT, title="Informe de la pasantía", institution=world.peru.pk),
    )
    assert response.status_code == 302

    changes = [
        (Step.history.filter(id=step.pk).latest(), world.users["oea"]),
        (Question.history.filter(id=world.question.pk).latest(), world.users["focal_providing"]),
        (Deliverable.history.get(title="Informe de la pasantía"), world.users["focal_requesting"]),
    ]
    for record, user in changes:
        assert record.history_user == user
        assert record.history_date is not None
    step_change = changes[0][0]
    assert [change.field for change in step_change.diff_against(step_change.prev_record).changes] == ["done"]

    admin = client_for("admin")
    for record, user in changes:
        page = admin_history(admin, record.instance)
        assert user.username in page or user.get_full_name() in page


def test_measurements_and_attendance_marks_are_kept_with_their_author(pfc, client_for, make_user):  # noqa: F811
    specialist = make_user("odes", username="odes.auditada")
    client = client_for(specialist)
    indicator = Indicator.objects.filter(milestone=pfc.hito4).exclude(source__in=Indicator.COMPUTED_SOURCES).first()
    assert indicator is not None
    response = client.post(
        reverse("capacity_plan:measurement", args=[indicator.pk]),
        {"period": "2025-2", "value": "12", "note": "Conteo de la lista"},
    )
    assert response.status_code == 302
    servant = pfc.servants[0]
    response = client.post(
        reverse("capacity_plan:attendance", args=[pfc.session.pk]),
        {f"original-{servant.pk}": "", f"servant-{servant.pk}": "present"},
    )
    assert response.status_code == 302

    measurement = Measurement.objects.get(indicator=indicator)
    mark = Attendance.objects.get(session=pfc.session, servant=servant)
    for obj in (measurement, mark):
        record = obj.history.latest()
        assert record.history_user == specialist

    admin = client_for("admin")
    for obj in (measurement, mark):
        assert "odes.auditada" in admin_history(admin, obj)


def test_removing_an_attendance_mark_is_kept_with_its_author(pfc, client_for, make_user, settings):  # noqa: F811
    specialist = make_user("odes", username="odes.quita")
    client = client_for(specialist)
    servant, kept = pfc.servants[0], pfc.servants[1]
    url = reverse("capacity_plan:attendance", args=[pfc.session.pk])
    marked = {f"original-{servant.pk}": "", f"servant-{servant.pk}": "present"}
    marked |= {f"original-{kept.pk}": "", f"servant-{kept.pk}": "present"}
    assert client.post(url, marked).status_code == 302
    mark = Attendance.objects.get(session=pfc.session, servant=servant)
    changed = {f"original-{servant.pk}": "present", f"servant-{servant.pk}": "absent"}
    assert client.post(url, changed).status_code == 302

    removed = {f"original-{servant.pk}": "absent", f"servant-{servant.pk}": ""}
    assert client.post(url, removed).status_code == 302

    assert not Attendance.objects.filter(pk=mark.pk).exists()
    assert Attendance.objects.filter(session=pfc.session, servant=kept).exists()
    records = list(Attendance.history.filter(id=mark.pk).order_by("history_date", "history_id"))
    assert [(record.history_type, record.status) for record in records] == [
        ("+", "present"),
        ("~", "absent"),
        ("-", "absent"),
    ]
    assert all(record.history_user == specialist for record in records)
    # simple-history's admin names a removed record by rebuilding it from its last history row,
    # whose servant and session it then loads one by one: not an N+1 of ours.
    settings.ZEAL_ALLOWLIST = [
        *settings.ZEAL_ALLOWLIST,
        *({"model": "capacity_plan.Attendance", "field": field} for field in ("servant", "session")),
    ]
    page = admin_history(client_for("admin"), mark)
    assert page.count("odes.quita") >= 3
