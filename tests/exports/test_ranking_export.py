"""The regional ranking downloads as CSV and XLSX: each semester's latest published version,
region by region, for those who may open the ranking pages."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tests.exports.conftest import column, csv_rows, xlsx_rows, xlsx_sheet
from tests.factories import ROLE_FACTORIES
from tests.ranking.conftest import published_rankings  # noqa: F401  (fixture: two semesters published)

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today().isoformat()
HEADERS = [
    "Región",
    "Año",
    "Semestre",
    "Versión",
    "Cumplimiento de metas programadas",
    "Esfuerzo adicional a lo programado",
    "Ejecución financiera de transferencias SUNAFIL",
    "Puntaje",
    "Nivel",
    "Posición",
]


def export(role, file_format, query=""):
    client = Client()
    client.force_login(ROLE_FACTORIES[role]())
    return client.get(reverse("exports:download", args=["ranking", file_format]) + query)


def by_region(rows: list[list], semester: str) -> dict:
    index = rows[0].index("Semestre")
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[index] == semester}


@pytest.mark.parametrize("role", ["odes", "manager", "admin"])
def test_the_ranking_pages_readers_export_the_latest_version_of_each_semester(published_rankings, role):  # noqa: F811
    rows = csv_rows(export(role, "csv"))

    assert rows[0] == HEADERS
    assert len(rows) == 1 + 25 + 25  # every region of each semester's latest version
    assert column(rows, "Semestre")[:25] == ["Segundo semestre"] * 25  # the latest semester first
    assert set(column(rows, "Versión")[25:]) == {"2"}  # the first semester's version 1 is superseded
    first = by_region(rows, "Primer semestre")
    assert first["Cusco"] == {
        **first["Cusco"],
        "Cumplimiento de metas programadas": "100.00",
        "Puntaje": "100.00",
        "Nivel": "Nivel alto",
        "Posición": "1",
    }
    assert (first["Puno"]["Esfuerzo adicional a lo programado"], first["Puno"]["Puntaje"]) == ("", "69.00")
    assert (first["Puno"]["Nivel"], first["Puno"]["Posición"]) == ("Nivel medio", "2")
    assert (first["Tacna"]["Puntaje"], first["Tacna"]["Posición"]) == ("", "")  # no values: no score


def test_xlsx_keeps_values_scores_and_positions_as_numbers(published_rankings):  # noqa: F811
    response = export("manager", "xlsx")
    sheet = xlsx_sheet(response)
    headers = [cell.value for cell in sheet[1]]
    lima = next(
        dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2) if row[0].value == "Lima Provincias"
    )

    assert response["Content-Disposition"] == f'attachment; filename="ranking-regional-{TODAY}.xlsx"'
    assert headers == HEADERS
    for header, value in [
        ("Año", 2025),
        ("Versión", 1),
        ("Cumplimiento de metas programadas", Decimal("80")),
        ("Ejecución financiera de transferencias SUNAFIL", Decimal("40")),
        ("Puntaje", Decimal("62")),
        ("Posición", 1),
    ]:
        assert lima[header].data_type == "n" and lima[header].value == value, header
    assert lima["Región"].data_type == "s" and lima["Nivel"].value == "Nivel medio"


def test_a_rankings_page_exports_that_semester_only(published_rankings, client_for):  # noqa: F811
    first = published_rankings.first
    rows = xlsx_rows(export("odes", "xlsx", f"?ranking={first.pk}"))
    by_semester = xlsx_rows(export("odes", "xlsx", "?semestre=2025-1"))

    assert len(rows) == 26 and set(column(rows, "Semestre")) == {"Primer semestre"}
    assert by_semester == rows
    page = client_for("manager").get(reverse("ranking:detail", args=[first.pk])).content.decode()
    assert reverse("exports:download", args=["ranking", "xlsx"]) + f"?ranking={first.pk}" in page
    listing = client_for("odes").get(reverse("ranking:list")).content.decode()
    assert reverse("exports:download", args=["ranking", "csv"]) in listing


def test_a_bad_semester_is_refused_with_a_spanish_message(published_rankings):  # noqa: F811
    response = export("odes", "csv", "?semestre=2025-3")

    assert response.status_code == 400
    assert "escriba año-semestre, p. ej. 2025-1" in response.content.decode()


@pytest.mark.parametrize("role", ["oea", "focal"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_roles_that_do_not_see_the_ranking_are_refused(published_rankings, role, file_format):  # noqa: F811
    assert export(role, file_format).status_code == 403


def test_without_a_published_version_the_export_has_headers_only(seed):
    assert csv_rows(export("odes", "csv")) == [HEADERS]
