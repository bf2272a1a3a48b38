import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capacity_plan.models import Attendance, Indicator, PublicServant, SatisfactionResponse, TrainingAction
from tests.factories import ServantFactory, TrainingActionFactory
from tests.forms import with_key

pytestmark = pytest.mark.django_db


def action_post(pfc, **changes):
    data = {
        "kind": "taller",
        "title": "Taller de Liderazgo Transformacional e Innovación Pública",
        "theme": "",
        "organisational_unit": pfc.unit.pk,
        "milestone": pfc.hito4.pk,
        "programmed": "on",
        "modality": "virtual",
        "hours": "4",
        "planned_start": "2025-04-10",
        "planned_end": "",
        "executed_start": "",
        "executed_end": "",
        "status": "programada",
        "target_regions": [region.pk for region in pfc.regions],
        "facilitator": "Especialista ODES",
        "expected_revision": "",
    }
    data.update(changes)
    return with_key(data)


def test_an_odes_specialist_creates_a_workshop_for_hito_4(pfc, client_for):
    client = client_for("odes")
    response = client.post(reverse("capacity_plan:action_create"), action_post(pfc))
    action = TrainingAction.objects.get(title="Taller de Liderazgo Transformacional e Innovación Pública")
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert action.milestone == pfc.hito4 and set(action.target_regions.all()) == set(pfc.regions)
    page = client.get(pfc.hito4.get_absolute_url()).content.decode()
    assert "Taller de Liderazgo Transformacional e Innovación Pública" in page


def test_a_short_diploma_is_refused_in_spanish_and_the_form_keeps_the_input(pfc, client_for):
    response = client_for("odes").post(
        reverse("capacity_plan:action_create"),
        action_post(pfc, kind="diplomado", hours="20", title="Diplomado en gestión"),
    )
    body = response.content.decode()
    assert "al menos 24 horas" in body
    assert 'value="Diplomado en gestión"' in body
    assert not TrainingAction.objects.filter(title="Diplomado en gestión").exists()


def test_a_stale_edit_of_an_action_is_refused(pfc, client_for):
    first, second = client_for("odes"), client_for("admin")
    url = reverse("capacity_plan:action_edit", args=[pfc.action.pk])
    stale = action_post(pfc, title="Versión de la segunda persona", expected_revision=pfc.action.revision)
    assert (
        first.post(url, action_post(pfc, title="Versión primera", expected_revision=pfc.action.revision)).status_code
        == 302
    )
    response = second.post(url, stale)
    assert "No se guardó" in response.content.decode()
    pfc.action.refresh_from_db()
    assert pfc.action.title == "Versión primera"


def test_reschedule_needs_a_date_and_cancel_a_reason(pfc, client_for):
    client = client_for("odes")
    bad = client.post(reverse("capacity_plan:action_reschedule", args=[pfc.action.pk]), {"new_date": "", "reason": ""})
    assert bad.content.decode().count("Este campo es obligatorio.") == 2
    client.post(
        reverse("capacity_plan:action_reschedule", args=[pfc.action.pk]),
        {"new_date": "2025-05-15", "reason": "Superposición con otra actividad"},
    )
    pfc.action.refresh_from_db()
    assert (pfc.action.status, str(pfc.action.planned_start), str(pfc.action.original_start)) == (
        "reprogramada",
        "2025-05-15",
        "2025-04-10",
    )
    client.post(reverse("capacity_plan:action_cancel", args=[pfc.action.pk]), {"reason": "Sin quórum"})
    pfc.action.refresh_from_db()
    assert (pfc.action.status, pfc.action.status_reason) == ("cancelada", "Sin quórum")


def test_marking_25_servants_in_the_grid_moves_the_hito_indicators(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance", args=[pfc.session.pk])
    grid = client.get(url)
    assert len(grid.context["rows"]) == 25
    marks = {f"servant-{s.pk}": ("present" if n < 18 else "absent") for n, s in enumerate(pfc.servants)}
    response = client.post(url, marks, follow=True)
    assert "Se guardó la asistencia: 25 registros en la sesión." in response.content.decode()
    assert Attendance.objects.filter(session=pfc.session, status="present").count() == 18

    attendance_indicator = Indicator.objects.create(
        milestone=pfc.hito4, name="Porcentaje de asistencia", source=Indicator.Source.ATTENDANCE_RATE, target=80
    )
    plan = client.get(reverse("capacity_plan:home") + "?periodo=2025-2")
    rows = {
        row.indicator.pk: row
        for _c, milestones in plan.context["components"]
        for m in milestones
        for row in m.indicators
    }
    assert rows[attendance_indicator.pk].value_text == "72%"
    assert rows[attendance_indicator.pk].status.code == "at_risk"
    hito4 = next(m for _c, ms in plan.context["components"] for m in ms if m.milestone.number == 4)
    assert hito4.reached == 18

    # marking again changes marks instead of duplicating them
    client.post(url, {**marks, f"servant-{pfc.servants[-1].pk}": "present"})
    assert Attendance.objects.filter(session=pfc.session).count() == 25
    assert Attendance.objects.filter(session=pfc.session, status="present").count() == 19


def test_the_grid_adds_a_new_participant_as_present(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance", args=[pfc.session.pk])
    client.post(
        url,
        {
            "add-servant": "1",
            "nuevo-full_name": "Rosa Quispe",
            "nuevo-document_number": "41234567",
            "nuevo-email": "",
            "nuevo-region": pfc.regions[0].pk,
            "nuevo-position": "Especialista",
            "nuevo-profile": "new",
        },
    )
    assert Attendance.objects.get(session=pfc.session, servant__document_number="41234567").status == "present"


def add_servant(client, pfc, **fields):
    data = {
        "add-servant": "1",
        "nuevo-full_name": "Maria Condori",
        "nuevo-document_number": "41234567",
        "nuevo-email": "",
        "nuevo-region": pfc.regions[0].pk,
        "nuevo-position": "",
        "nuevo-profile": "",
    }
    data.update({f"nuevo-{name}": value for name, value in fields.items()})
    return client.post(reverse("capacity_plan:attendance", args=[pfc.session.pk]), data)


def test_the_grid_asks_before_renaming_a_servant_known_by_dni(pfc, client_for):
    client = client_for("odes")
    known = ServantFactory(full_name="María Condori Apaza", document_number="41234567", region=pfc.regions[0])
    asked = add_servant(client, pfc)
    body = asked.content.decode()
    assert asked.status_code == 200
    assert "ya está registrada como «María Condori Apaza», no como «Maria Condori»" in body
    assert 'value="Maria Condori"' in body  # what was typed is kept
    assert 'name="nuevo-name_choice" value="keep"' in body and "Mantener «María Condori Apaza»" in body
    known.refresh_from_db()
    assert known.full_name == "María Condori Apaza"
    assert not Attendance.objects.filter(session=pfc.session, servant=known).exists()

    kept = add_servant(client, pfc, name_choice="keep")
    assert kept.status_code == 302
    known.refresh_from_db()
    assert known.full_name == "María Condori Apaza"
    assert Attendance.objects.get(session=pfc.session, servant=known).status == "present"

    add_servant(client, pfc, name_choice="rename")
    known.refresh_from_db()
    assert known.full_name == "Maria Condori"


@pytest.mark.parametrize("typed", ["4123456", "412345678", "4123456A", "41.234.567"])
def test_the_grid_refuses_a_dni_that_is_not_eight_digits(pfc, client_for, typed):
    response = add_servant(client_for("odes"), pfc, document_number=typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "El DNI debe tener exactamente 8 dígitos" in body and f'value="{typed}"' in body
    assert not PublicServant.objects.filter(full_name="Maria Condori").exists()


def test_the_attendance_grid_keeps_its_query_count(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance", args=[pfc.session.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(40):
        ServantFactory(region=pfc.regions[n % 3])
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 65
    assert len(many) == len(few)


@pytest.mark.parametrize("url_name", ["home", "actions"])
def test_plan_and_action_list_keep_their_query_count(pfc, client_for, url_name):
    client = client_for("manager")
    url = reverse(f"capacity_plan:{url_name}")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        TrainingActionFactory(milestone=pfc.hito4, organisational_unit=pfc.unit, regions=pfc.regions)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_a_survey_answer_entered_by_hand(pfc, client_for):
    client = client_for("odes")
    response = client.post(
        reverse("capacity_plan:survey_create", args=[pfc.action.pk]),
        with_key(
            servant="",
            clarity="5",
            usefulness="4",
            materials="4",
            facilitator="5",
            applicability="3",
            comments="Muy útil",
        ),
    )
    assert response.status_code == 302
    answer = SatisfactionResponse.objects.get()
    assert (answer.servant, answer.clarity, answer.average) == (None, 5, Decimal("4.2"))


def test_action_list_filters(pfc, client_for):
    TrainingActionFactory(
        milestone=None, organisational_unit=pfc.unit, title="Curso de inspección", kind="curso", programmed=False
    )
    client = client_for("manager")

    def titles(**params):
        return [a.title for a in client.get(reverse("capacity_plan:actions"), params).context["page"]]

    assert titles(milestone=pfc.hito4.pk) == ["Taller de Liderazgo Transformacional"]
    assert titles(kind="curso") == ["Curso de inspección"]
    assert titles(programmed="false") == ["Curso de inspección"]
    assert titles(region=pfc.regions[0].pk) == ["Taller de Liderazgo Transformacional"]
    assert titles(month="2025-04") == ["Curso de inspección", "Taller de Liderazgo Transformacional"]
    assert titles(month="2025-06") == []


def test_the_monthly_catalogue_groups_by_unit(pfc, client_for):
    body = client_for("manager").get(reverse("capacity_plan:catalogue") + "?mes=2025-04").content.decode()
    assert "Taller de Liderazgo Transformacional" in body and "ODES" in body
    assert (
        "No hay acciones formativas"
        in client_for("manager").get(reverse("capacity_plan:catalogue") + "?mes=2025-08").content.decode()
    )


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1989-12", "2101-01"])
def test_a_month_filter_out_of_range_is_refused_in_spanish_and_filters_nothing(pfc, client_for, month):
    response = client_for("manager").get(reverse("capacity_plan:actions"), {"month": month})
    assert response.status_code == 200
    assert "Elija un mes entre 1990 y 2100." in response.content.decode()
    assert [action.title for action in response.context["page"]] == ["Taller de Liderazgo Transformacional"]


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "2025", "abril", "2025-04-01", "２０２５-０４"])
def test_a_month_filter_that_is_not_a_month_is_refused_in_spanish(pfc, client_for, month):
    response = client_for("manager").get(reverse("capacity_plan:actions"), {"month": month})
    assert response.status_code == 200
    assert "Escriba el mes como AAAA-MM" in response.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1989-12", "2101-01", "2025-13"])
def test_the_catalogue_of_a_month_out_of_range_shows_the_default_month(pfc, client_for, month):
    default = client_for("manager").get(reverse("capacity_plan:catalogue"))
    response = client_for("manager").get(reverse("capacity_plan:catalogue"), {"mes": month})
    assert response.status_code == 200
    # the plan's only action is in April 2025: the month it opens on, whatever today is
    assert response.context["catalogue"].month == default.context["catalogue"].month == datetime.date(2025, 4, 1)


def test_the_catalogue_reaches_the_first_and_last_months_of_the_range(pfc, client_for):
    first = client_for("manager").get(reverse("capacity_plan:catalogue"), {"mes": "1990-01"})
    last = client_for("manager").get(reverse("capacity_plan:catalogue"), {"mes": "2100-12"})
    first_month, last_month = first.context["catalogue"], last.context["catalogue"]
    assert (first_month.month, first_month.previous) == (datetime.date(1990, 1, 1), datetime.date(1989, 12, 1))
    assert (last_month.month, last_month.following) == (datetime.date(2100, 12, 1), datetime.date(2101, 1, 1))


def test_a_search_of_too_many_words_is_refused_in_spanish_and_filters_nothing(pfc, client_for):
    words = " ".join(f"palabra{number}" for number in range(1200))
    response = client_for("manager").get(reverse("capacity_plan:actions"), {"q": words})
    assert response.status_code == 200
    assert "Busque con 10 palabras como máximo (escribió 1200)." in response.content.decode()
    assert len(response.context["page"]) == 1


def test_profile_guidance_shows_table_1(pfc, client_for):
    body = (
        client_for("odes")
        .get(reverse("capacity_plan:guidance") + "?profile=improving", HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Diplomados o programas de especialización" in body
    assert "Asistencia técnica estratégica" in body


def test_off_track_indicators_ask_for_a_structured_reason(pfc, client_for):
    indicator = Indicator.objects.create(
        milestone=pfc.hito4, name="Porcentaje de asistencia", source=Indicator.Source.ATTENDANCE_RATE, target=80
    )
    Attendance.objects.bulk_create(
        Attendance(session=pfc.session, servant=s, status="present" if n < 10 else "absent")
        for n, s in enumerate(pfc.servants)
    )
    client = client_for("odes")
    plan = client.get(reverse("capacity_plan:home") + "?periodo=2025-2").content.decode()
    assert "Requiere justificación y acción correctiva." in plan
    assert "A 40% de la meta de 80%; el margen de riesgo es 8%." in plan
    response = client.post(
        reverse("capacity_plan:review", args=[indicator.pk]) + "?periodo=2025-2",
        {
            "reason": "low_attendance",
            "explanation": "Coincidió con el cierre presupuestal.",
            "corrective_action": "Reprogramar con convocatoria anticipada",
            "corrective_action_due": "2025-05-30",
        },
    )
    assert response.status_code == 302
    plan = client.get(reverse("capacity_plan:home") + "?periodo=2025-2").content.decode()
    assert "Baja asistencia o convocatoria — Reprogramar con convocatoria anticipada" in plan


def test_manual_measurements_need_the_indicator_to_be_manual(pfc, client_for):
    client = client_for("odes")
    manual = pfc.hito4.indicators.filter(source="manual").first()
    response = client.post(
        reverse("capacity_plan:measurement", args=[manual.pk]),
        {"period": "2025-2", "value": "12", "note": "Actas del taller"},
    )
    assert response.status_code == 302
    assert manual.measurements.get().value == 12
    computed = Indicator.objects.create(milestone=pfc.hito4, name="Asistencia", source="attendance_rate")
    refused = client.get(reverse("capacity_plan:measurement", args=[computed.pk]), follow=True)
    assert "se calcula de los registros" in refused.content.decode()


def test_pages_carry_svg_charts_drawn_from_the_registers(pfc, client_for):
    client = client_for("manager")
    plan = client.get(reverse("capacity_plan:home")).content.decode()
    assert plan.count("<svg") >= 1
    milestone = client.get(pfc.hito4.get_absolute_url())
    assert milestone.content.decode().count("<svg") == len(milestone.context["indicators"])
    assert "<script" not in milestone.content.decode().split("<svg", 1)[1]


def test_two_people_marking_one_session_do_not_undo_each_other(pfc, client_for):
    first, second = client_for("odes"), client_for("admin")
    url = reverse("capacity_plan:attendance", args=[pfc.session.pk])
    a, b = pfc.servants[0], pfc.servants[1]
    blank = {f"original-{s.pk}": "" for s in pfc.servants}
    # Both opened the empty grid. The first marks A present; the second marks B absent.
    first.post(url, {**blank, f"servant-{a.pk}": "present"})
    second.post(url, {**blank, f"servant-{b.pk}": "absent"})
    assert dict(Attendance.objects.filter(session=pfc.session).values_list("servant_id", "status")) == {
        a.pk: "present",
        b.pk: "absent",
    }
    # The second, still on the old grid, now marks A justified: the first already changed A.
    response = second.post(url, {**blank, f"servant-{a.pk}": "justified"}, follow=True)
    assert "No se guardó: otra persona cambió la asistencia de " + a.full_name in response.content.decode()
    assert Attendance.objects.get(session=pfc.session, servant=a).status == "present"


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"servant-{a}": "tardanza"}, "Marca de asistencia desconocida: tardanza."),
        ({"servant-99999999999999999999999": "present"}, "servidores que ya no existen (99999999999999999999999)"),
        ({"servant-987654321": "present"}, "servidores que ya no existen (987654321)"),
        ({"original-²": ""}, "servidores que ya no existen (²)"),
    ],
)
def test_a_garbled_attendance_grid_is_refused_in_spanish_and_saves_nothing(pfc, client_for, posted, message):
    a = pfc.servants[0]
    data = {key.format(a=a.pk): value for key, value in posted.items()}
    response = client_for("odes").post(
        reverse("capacity_plan:attendance", args=[pfc.session.pk]), {f"servant-{pfc.servants[1].pk}": "present", **data}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_odes_specialist_edits_an_indicator_target(pfc, client_for):
    indicator = pfc.hito4.indicators.filter(source="manual").first()
    response = client_for("odes").post(
        reverse("capacity_plan:indicator_edit", args=[indicator.pk]),
        {
            "name": indicator.name,
            "kind": indicator.kind,
            "unit": indicator.unit,
            "baseline": "",
            "target": "30",
            "direction": indicator.direction,
            "risk_margin": "10",
            "source": indicator.source,
            "scope": indicator.scope,
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == 30
    assert indicator.history.latest().history_user.username == response.wsgi_request.user.username


def test_the_attendance_page_title_is_plain_text_and_its_script_loads_once(pfc, client_for):
    page = client_for("odes").get(reverse("capacity_plan:attendance", args=[pfc.session.pk])).content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Asistencia" in title
    assert page.count("js/attendance-grid.js") == 1
