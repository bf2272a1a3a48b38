"""Every list downloads as CSV and XLSX with the list page's filters, scoped like the page."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from capacity_plan import services as plan_services
from capacity_plan.models import Attendance
from exports.writers import csv_value
from tests.exports.conftest import column, csv_rows, xlsx_rows, xlsx_sheet
from tests.factories import CooperationFactory, InstitutionFactory, ParticipationFactory, StepFactory, country

TODAY = datetime.date.today().isoformat()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export(user, name, file_format, query=""):
    return client_of(user).get(reverse("exports:download", args=[name, file_format]) + query)


# --- Cooperations, steps, participants, questions: scoped to the focal point's institution ----

COOPERATION_LISTS = {
    # list -> (header of the column naming the cooperation, what it says for each cooperation)
    "cooperaciones": "Nombre corto",
    "pasos": "Cooperación",
    "participantes": "Cooperación",
    "preguntas": "Cooperación",
}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", COOPERATION_LISTS)
def test_a_focal_point_exports_only_the_cooperations_of_their_institution(coops, name, file_format):
    read = csv_rows if file_format == "csv" else xlsx_rows
    cooperation_header = COOPERATION_LISTS[name]

    staff = set(column(read(export(coops.users["oea"], name, file_format)), cooperation_header))
    peru = set(column(read(export(coops.users["focal_requesting"], name, file_format)), cooperation_header))
    chile = set(column(read(export(coops.users["focal_other"], name, file_format)), cooperation_header))

    assert staff == {"Perú – Paraguay", "Chile – México"}
    assert peru == {"Perú – Paraguay"}
    assert chile == {"Chile – México"}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("name", COOPERATION_LISTS)
def test_the_cooperation_list_filters_apply_to_every_cooperation_export(coops, name, file_format):
    read = csv_rows if file_format == "csv" else xlsx_rows
    query = f"?institution={coops.chile.pk}"

    rows = read(export(coops.users["oea"], name, file_format, query))

    assert set(column(rows, COOPERATION_LISTS[name])) == {"Chile – México"}


def test_the_file_has_a_real_name_and_the_spreadsheet_type(coops):
    response = export(coops.users["oea"], "cooperaciones", "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="cooperaciones-{TODAY}.xlsx"'
    assert export(coops.users["oea"], "pasos", "csv")["Content-Type"] == "text/csv; charset=utf-8"


def test_headers_are_in_spanish_and_follow_the_chosen_language(coops):
    spanish = csv_rows(export(coops.users["oea"], "pasos", "csv"))[0]
    client = client_of(coops.users["oea"])
    client.cookies["django_language"] = "en"
    english = csv_rows(client.get(reverse("exports:download", args=["pasos", "csv"]), HTTP_ACCEPT_LANGUAGE="en"))[0]

    assert spanish[:3] == ["Cooperación", "Después de la sesión", "Orden"]
    assert english[:3] == ["Cooperation", "After the session", "Order"]


def test_xlsx_keeps_dates_as_dates_and_numbers_as_numbers(coops):
    coops.cooperation.version_date = datetime.date(2022, 7, 21)
    coops.cooperation.save()
    sheet = xlsx_sheet(export(coops.users["oea"], "cooperaciones", "xlsx", f"?institution={coops.peru.pk}"))
    headers = [cell.value for cell in sheet[1]]
    row = dict(zip(headers, sheet[2], strict=True))

    assert row["Año"].data_type == "n" and row["Año"].value == 2022
    assert row["Participantes"].data_type == "n" and row["Participantes"].value == 1
    assert row["Fecha de la versión"].is_date and row["Fecha de la versión"].value == datetime.datetime(2022, 7, 21)
    assert row["Fecha de la versión"].number_format == "DD/MM/YYYY"
    assert row["Actualizada el"].is_date
    assert row["Nombre corto"].data_type == "s"
    assert sheet[1][0].font.bold


def test_steps_export_lists_the_responsible_institutions_and_whether_done(coops):
    StepFactory(
        cooperation=coops.cooperation,
        text="Compartir el informe",
        responsible_institutions=[coops.peru, coops.paraguay],
        done=True,
    )

    rows = xlsx_rows(export(coops.users["oea"], "pasos", "xlsx", f"?institution={coops.peru.pk}"))
    shared = next(row for row in rows if row[3] == "Compartir el informe")

    assert shared[rows[0].index("Responsables")] == "MTEySS, MTPE"  # by country: Paraguay, Perú
    assert shared[rows[0].index("Cumplido")] == "Sí"
    assert shared[rows[0].index("A más tardar el")] == datetime.datetime(2024, 6, 25)


# --- Formula injection -----------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(coops, file_format):
    dangerous = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
    guests = InstitutionFactory(acronym="MTSS", country=country("EC"))
    cooperation = CooperationFactory(
        short_name='=HYPERLINK("http://malo.example","clic")',
        requesting_institution=coops.peru,
        providing_institution=guests,
    )
    for position in dangerous:
        ParticipationFactory(cooperation=cooperation, position=position, person__full_name="Persona " + position)

    response = export(coops.users["oea"], "participantes", file_format, f"?institution={guests.pk}")
    if file_format == "csv":
        rows = csv_rows(response)
    else:
        sheet = xlsx_sheet(response)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "no formula cell"
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]

    expected = ["'" + text for text in dangerous]
    if file_format == "xlsx":  # XML reads a carriage return as a line feed
        expected = [text.replace("\r", "\n") for text in expected]
    assert sorted(column(rows, "Cargo")) == sorted(expected)
    assert set(column(rows, "Cooperación")) == {'\'=HYPERLINK("http://malo.example","clic")'}


def test_negative_numbers_stay_numbers(coops):
    """Only text is neutralised: a number is written as a number, whatever its sign."""
    assert csv_value(Decimal("-2.5")) == Decimal("-2.5")
    assert csv_value("-2.5") == "'-2.5"


# --- PFC 2025: actions, attendance, surveys, indicators ------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_action_list_filters_apply_to_actions_attendance_and_surveys(plan_data, world, file_format):
    read = csv_rows if file_format == "csv" else xlsx_rows
    odes = world.users["odes"]
    odes_unit = f"?organisational_unit={plan_data.unit.pk}"

    actions = read(export(odes, "acciones", file_format, odes_unit))
    attendance = read(export(odes, "asistencia", file_format, odes_unit))
    surveys = read(export(odes, "encuestas", file_format, odes_unit))
    everything = read(export(odes, "asistencia", file_format))

    assert column(actions, "Título") == ["Taller de Liderazgo Transformacional"]
    assert set(column(attendance, "Acción formativa")) == {"Taller de Liderazgo Transformacional"}
    assert len(attendance) - 1 == Attendance.objects.filter(session=plan_data.session).count() == 10
    assert len(everything) - 1 == 11
    assert set(column(surveys, "Acción formativa")) == {"Taller de Liderazgo Transformacional"}
    assert sorted(column(surveys, "Servidor/a")) == sorted([plan_data.servants[0].full_name, "anónima"])


def test_attendance_xlsx_has_session_dates_and_statuses(plan_data, world):
    rows = xlsx_rows(export(world.users["manager"], "asistencia", "xlsx", f"?organisational_unit={plan_data.unit.pk}"))

    assert set(column(rows, "Fecha de la sesión")) == {datetime.datetime(2025, 4, 10)}
    assert sorted(set(column(rows, "Asistencia"))) == ["Ausente", "Presente"]
    assert column(rows, "N.º de acción")[0] == plan_data.action.pk


def test_survey_xlsx_has_ratings_as_numbers_moments_in_peru_and_inert_comments(plan_data, world):
    sheet = xlsx_sheet(export(world.users["odes"], "encuestas", "xlsx", f"?organisational_unit={plan_data.unit.pk}"))
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    answered = next(row for row in rows if row["Servidor/a"].value != "anónima")

    assert answered["Claridad"].value == 5 and answered["Claridad"].data_type == "n"
    assert answered["Promedio"].value == pytest.approx(4.2)
    assert answered["Respondida el"].value == datetime.datetime(2025, 4, 10, 15, 30)  # Lima's wall clock
    assert answered["Comentarios"].value == '\'=HYPERLINK("http://malo.example")'


def test_training_actions_file_name_and_types(plan_data, world):
    response = export(world.users["manager"], "acciones", "xlsx", "?q=Liderazgo")
    rows = xlsx_rows(response)
    row = dict(zip(rows[0], rows[1], strict=True))

    assert response["Content-Disposition"] == f'attachment; filename="acciones-formativas-{TODAY}.xlsx"'
    assert row["Horas"] == 4 and row["Inicio programado"] == datetime.datetime(2025, 4, 10)
    assert row["Regiones"] == "Cusco, Piura, Puno"
    assert row["Programada"] == "Sí"


def test_indicators_export_the_period_of_the_plan_page(plan_data, world):
    response = export(world.users["odes"], "indicadores", "xlsx", "?periodo=2025-2")
    rows = xlsx_rows(response)

    assert response["Content-Disposition"] == f'attachment; filename="indicadores-2025-2-{TODAY}.xlsx"'
    assert set(column(rows, "Periodo")) == {"Mar–Abr 2025"}
    assert len(rows) > 12  # every indicator of the 12 hitos
    hito4 = [row for row in rows[1:] if row[rows[0].index("Hito")] == 4]
    assert hito4 and all(isinstance(row[rows[0].index("Meta")], int | float | type(None)) for row in hito4)


# --- Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("odes", "cooperaciones", 403),
        ("oea", "acciones", 403),
        ("focal_requesting", "asistencia", 403),
        ("manager", "encuestas", 200),
        ("oea", "no-existe", 404),
    ],
)
def test_a_list_exports_for_those_who_may_open_its_page(pfc, coops, role, name, status):  # noqa: F811
    assert export(coops.users[role], name, "csv").status_code == status


def test_an_unknown_format_is_not_found(coops):
    assert export(coops.users["oea"], "cooperaciones", "pdf").status_code == 404


def test_invalid_filters_are_refused_with_a_spanish_message(plan_data, world):
    response = export(world.users["odes"], "acciones", "xlsx", "?month=2025-13")

    assert response.status_code == 400
    assert "Corrija los filtros" in response.content.decode()
    assert "Escriba el mes como AAAA-MM" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(coops):
    response = Client().get(reverse("exports:download", args=["cooperaciones", "csv"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- Buttons and query counts -----------------------------------------------------------------


def test_the_list_pages_offer_exports_that_keep_their_filters(plan_data, world):
    client = client_of(world.users["odes"])
    page = client.get(
        reverse("capacity_plan:actions") + f"?organisational_unit={plan_data.unit.pk}&page=1"
    ).content.decode()

    assert f'href="/exportaciones/acciones/xlsx/?organisational_unit={plan_data.unit.pk}"' in page
    assert f'href="/exportaciones/asistencia/csv/?organisational_unit={plan_data.unit.pk}"' in page
    assert (
        'href="/exportaciones/indicadores/xlsx/?periodo=2025-3"'
        in client.get(reverse("capacity_plan:home") + "?periodo=2025-3").content.decode()
    )


def test_the_cooperation_list_offers_its_four_exports_and_an_odes_page_none_of_them(coops):
    page = client_of(coops.users["focal_requesting"]).get(reverse("cooperations:list") + "?status=in_progress")
    html = page.content.decode()
    for name in COOPERATION_LISTS:
        assert f'href="/exportaciones/{name}/csv/?status=in_progress"' in html


@pytest.mark.parametrize("name", ["pasos", "asistencia"])
def test_an_export_takes_the_same_number_of_queries_whatever_its_size(
    plan_data, coops, name, django_assert_max_num_queries
):
    client = client_of(coops.users["oea"] if name == "pasos" else coops.users["odes"])
    url = reverse("exports:download", args=[name, "xlsx"])
    with django_assert_max_num_queries(8):
        small = client.get(url)
    for n in range(30):
        StepFactory(cooperation=coops.cooperation, text=f"Paso {n}")
    marks = {servant.pk: "present" for servant in plan_data.servants[10:20]}
    plan_services.attendance_record(session=plan_data.session, marks=marks, by=coops.users["odes"])
    with django_assert_max_num_queries(8):
        large = client.get(url)
    assert len(xlsx_rows(large)) > len(xlsx_rows(small))


def test_the_deadlines_export_holds_what_the_deadlines_page_lists(coops):
    StepFactory(cooperation=coops.cooperation, text="Lo hará Paraguay", responsible_institutions=[coops.paraguay])
    StepFactory(cooperation=coops.cooperation, text="Ya cumplido", done=True)
    peru = client_of(coops.users["focal_requesting"])

    rows = csv_rows(peru.get(reverse("exports:download", args=["plazos", "csv"])))
    page = peru.get(reverse("cooperations:deadlines")).content.decode()

    assert column(rows, "Paso") == [coops.step.text]
    assert 'href="/exportaciones/plazos/xlsx/"' in page


# --- One cooperation's rows, from its record page ------------------------------------------


def test_a_record_page_exports_its_own_steps_participants_and_questions(coops):
    pk = coops.cooperation.pk
    client = client_of(coops.users["focal_providing"])

    page = client.get(reverse("cooperations:detail", args=[pk])).content.decode()
    response = client.get(reverse("exports:download", args=["participantes", "xlsx"]) + f"?cooperacion={pk}")
    rows = xlsx_rows(response)

    for name in ("pasos", "participantes", "preguntas"):
        assert f'href="/exportaciones/{name}/xlsx/?cooperacion={pk}"' in page
    assert response["Content-Disposition"] == f'attachment; filename="participantes-peru-paraguay-{TODAY}.xlsx"'
    assert set(column(rows, "Cooperación")) == {"Perú – Paraguay"}


def test_another_institutions_cooperation_exports_nothing(coops):
    rows = csv_rows(export(coops.users["focal_other"], "preguntas", "csv", f"?cooperacion={coops.cooperation.pk}"))

    assert rows[0][0] == "Cooperación" and rows[1:] == []


def test_a_cooperation_number_that_is_not_one_is_refused(coops):
    response = export(coops.users["oea"], "pasos", "csv", "?cooperacion=uno")

    assert response.status_code == 400
    assert "el número de la cooperación no es válido" in response.content.decode()
