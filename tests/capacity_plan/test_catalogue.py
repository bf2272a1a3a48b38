"""The monthly catalogue (issue 13, item 14): it opens on the plan's current or next month with
actions, filters by region and UO, and downloads as PDF and XLSX to send to the regions."""

import datetime
import io

import openpyxl
import pypdf
import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from capacity_plan import selectors, services
from capacity_plan.models import TrainingAction
from tests.factories import ThemeFactory, TrainingActionFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def september(pfc):
    """Besides the April workshop for Cusco, Puno and Piura (ODES): two September actions, one
    of DNT for Cusco and one of ODES for Puno, and a cancelled one."""
    cusco, puno = (next(region for region in pfc.regions if region.name == name) for name in ("Cusco", "Puno"))
    pfc.dnt = UnitFactory(acronym="DNT", name="Dirección de Normativa de Trabajo")
    pfc.cusco, pfc.puno = cusco, puno
    pfc.dnt_course = TrainingActionFactory(
        title="Curso de dictamen económico laboral",
        kind="curso",
        organisational_unit=pfc.dnt,
        milestone=pfc.hito4,
        planned_start=datetime.date(2025, 9, 8),
        planned_end=datetime.date(2025, 9, 12),
        regions=[cusco],
    )
    pfc.odes_workshop = TrainingActionFactory(
        title="Taller de la CdP",
        organisational_unit=pfc.unit,
        milestone=pfc.hito4,
        planned_start=datetime.date(2025, 9, 18),
        regions=[puno],
    )
    TrainingActionFactory(
        title="Conferencia cancelada",
        organisational_unit=pfc.unit,
        milestone=pfc.hito4,
        planned_start=datetime.date(2025, 7, 1),
        status=TrainingAction.Status.CANCELLED,
        status_reason="Sin quórum",
    )
    return pfc


def titles(catalogue):
    return [action.title for actions in catalogue.units.values() for action in actions]


@pytest.mark.parametrize(
    ("today", "opens_on"),
    [
        (datetime.date(2025, 4, 20), datetime.date(2025, 4, 1)),  # this month has actions
        (datetime.date(2025, 6, 3), datetime.date(2025, 9, 1)),  # the next month that has them
        (datetime.date(2025, 7, 15), datetime.date(2025, 9, 1)),  # a cancelled action is not offered
        (datetime.date(2024, 11, 2), datetime.date(2025, 4, 1)),  # before the plan: its first month
        (datetime.date(2026, 12, 2), datetime.date(2025, 9, 1)),  # after the plan: its last month
    ],
)
def test_the_catalogue_opens_on_the_plans_current_or_next_month_with_actions(september, today, opens_on):
    assert selectors.monthly_catalogue(today=today).month == opens_on


def test_the_page_without_a_month_is_not_an_empty_month(september, client_for):
    response = client_for("manager").get(reverse("capacity_plan:catalogue"))
    assert "No hay acciones formativas ofrecidas este mes" not in response.content.decode()
    assert response.context["catalogue"].count > 0


def test_the_catalogue_filters_by_region_and_by_unit(september, client_for):
    client = client_for("manager")

    def shown(**params):
        return titles(client.get(reverse("capacity_plan:catalogue"), {"mes": "2025-09", **params}).context["catalogue"])

    assert shown() == ["Curso de dictamen económico laboral", "Taller de la CdP"]
    assert shown(region=september.cusco.pk) == ["Curso de dictamen económico laboral"]
    assert shown(organisational_unit=september.unit.pk) == ["Taller de la CdP"]
    assert shown(region=september.cusco.pk, organisational_unit=september.unit.pk) == []


def test_without_a_month_a_regions_catalogue_opens_on_a_month_with_its_actions(september):
    catalogue = selectors.monthly_catalogue(
        filters={"region": str(september.cusco.pk), "organisational_unit": str(september.dnt.pk)},
        today=datetime.date(2025, 4, 20),
    )
    assert (catalogue.month, titles(catalogue)) == (datetime.date(2025, 9, 1), ["Curso de dictamen económico laboral"])


def test_a_bad_month_keeps_the_region_and_says_why(september, client_for):
    response = client_for("manager").get(
        reverse("capacity_plan:catalogue"), {"mes": "septiembre", "region": september.cusco.pk}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Escriba el mes como AAAA-MM" in body
    actions = [action for actions in response.context["catalogue"].units.values() for action in actions]
    assert actions and all(september.cusco in action.target_regions.all() for action in actions)


def test_the_pdf_lists_the_months_actions_of_the_chosen_region(september, client_for, make_user):
    services.action_reschedule(
        action=september.odes_workshop,
        new_date=datetime.date(2025, 9, 25),
        reason="Feriado regional",
        by=make_user("odes"),
    )
    client = client_for("manager")
    page = client.get(reverse("capacity_plan:catalogue"), {"mes": "2025-09", "region": september.puno.pk})
    link = reverse("capacity_plan:catalogue_pdf") + "?" + page.context["query"]
    assert escape(link) in page.content.decode()
    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="catalogo-pfc-2025-09-puno.pdf"' in response["Content-Disposition"]
    text = " ".join(
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "CATÁLOGO DE ACCIONES FORMATIVAS · SEPTIEMBRE 2025 · PUNO" in text.upper()  # the heading
    assert "Taller de la CdP" in text and "25/09/2025" in text and "reprogramada, antes 18/09/2025" in text
    assert "Curso de dictamen económico laboral" not in text


def test_the_xlsx_has_one_row_per_action_with_real_dates(september, client_for):
    response = client_for("manager").get(reverse("capacity_plan:catalogue_xlsx"), {"mes": "2025-09"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="catalogo-pfc-2025-09.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Catálogo de acciones formativas · Septiembre 2025"
    assert rows[2][:3] == ("UO", "Unidad orgánica", "Acción formativa")
    course = next(row for row in rows[3:] if row[2] == "Curso de dictamen económico laboral")
    assert course[:2] == ("DNT", "Dirección de Normativa de Trabajo")
    assert (course[5], course[6]) == (datetime.datetime(2025, 9, 8), datetime.datetime(2025, 9, 12))
    assert course[11] == "Cusco"
    assert len(rows) == 3 + 2


def test_a_month_too_big_for_a_pdf_sends_to_the_spreadsheet(pfc, client_for):
    TrainingAction.objects.bulk_create(
        TrainingAction(
            kind="curso",
            title=f"Curso {n}",
            organisational_unit=pfc.unit,
            hours=4,
            planned_start=datetime.date(2025, 10, 1 + n % 28),
        )
        for n in range(301)
    )
    response = client_for("manager").get(reverse("capacity_plan:catalogue_pdf"), {"mes": "2025-10"})
    assert response.status_code == 302 and "mes=2025-10" in response.url
    assert "Descargue el XLSX" in str(next(iter(get_messages(response.wsgi_request))))


@pytest.mark.parametrize("url_name", ["catalogue", "catalogue_pdf", "catalogue_xlsx"])
def test_the_catalogue_and_its_downloads_keep_their_query_count(september, client_for, url_name):
    client = client_for("manager")
    url = reverse(f"capacity_plan:{url_name}")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"mes": "2025-09"})
    for n in range(15):
        TrainingActionFactory(
            organisational_unit=UnitFactory(acronym=f"U{n}"),
            milestone=september.hito4,
            theme=ThemeFactory(),
            planned_start=datetime.date(2025, 9, 1 + n),
            regions=september.regions,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"mes": "2025-09"})
    assert len(many) == len(few)
