"""The PFC panel of a period and a region's page: the same figures as the monitoring report."""

import io
import re
import uuid

import pypdf
import pytest
from django.urls import reverse

from capacity_plan.models import Plan, Region
from capacity_plan.periods import Bimester
from dashboards.tiles import TILES
from ranking import services as ranking_services
from reports import services as report_services
from reports.models import ReportVersion
from reports.monitoring import monitoring_context
from tests.factories import ROLE_FACTORIES
from tests.reports.test_monitoring_content import add_period_activity

pytestmark = pytest.mark.django_db
MARCH_APRIL = Bimester(2025, 2)
PANEL = reverse("dashboards:plan")


def kpis_on(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="(\w+)">([^<]*)<', page))


def pdf_text(version: ReportVersion) -> str:
    with version.file.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_the_panel_shows_the_monitoring_reports_numbers_for_the_period(seed, client_for):
    add_period_activity()
    manager = ROLE_FACTORIES["manager"]()
    job, _created = report_services.monitoring_request(
        plan=Plan.objects.get(), period=MARCH_APRIL, by=manager, request_key=uuid.uuid4()
    )
    version = ReportVersion.objects.get(pk=report_services.job_run(job_id=job.pk))  # real WeasyPrint

    client = client_for(manager)
    response = client.get(PANEL, {"periodo": MARCH_APRIL.code})

    assert response.status_code == 200
    stored = version.snapshot
    panel = response.context["panel"]
    for key in ("actions", "attendance_records", "attendance_present", "attendance_rate", "satisfaction", "servants"):
        assert panel["summary"][key] == stored["summary"][key], key
    assert panel["by_unit"] == stored["actions"]["by_unit"]
    assert panel["by_region"] == stored["actions"]["by_region"]
    shown_lights = [{row["code"]: row["count"] for row in component["statuses"]} for component in panel["components"]]
    assert shown_lights == [component["indicator_statuses"] for component in stored["components"]]
    # What the page prints is what the PDF prints (its key figures, as the report's context writes them).
    printed = {str(kpi["label"]): str(kpi["value"]) for kpi in monitoring_context(stored)["kpis"]}
    shown = kpis_on(response.content.decode())
    assert shown["total"] == printed["Acciones programadas"] == "5"
    assert shown["executed"] == printed["Ejecutadas"]
    assert shown["rescheduled"] == printed["Reprogramadas"]
    assert shown["cancelled"] == printed["Canceladas"]
    assert shown["attendance_rate"] == printed["Asistencia"]
    assert shown["satisfaction"] == printed["Satisfacción promedio"]
    assert shown["servants"] == printed["Servidores alcanzados"]
    assert shown["regions_without_participation"] == printed["Regiones sin participación"]
    text = pdf_text(version)
    for value in (shown["attendance_rate"], shown["satisfaction"]):
        assert value in text


def test_the_map_has_every_region_once_each_linking_to_its_page(seed, client_for):
    add_period_activity()
    response = client_for("odes").get(PANEL, {"periodo": MARCH_APRIL.code})

    page = response.content.decode()
    regions = Region.objects.all()
    assert set(TILES) == {region.name for region in regions}  # the grid places all 25, none twice
    assert len(set(TILES.values())) == 25
    svg = page[page.index("<svg") : page.index("</svg>")]
    for region in regions:
        assert svg.count(f'{reverse("dashboards:region", args=[region.pk])}?periodo=2025-2"') == 1
    cusco = next(row for row in response.context["panel"]["regions"] if row["name"] == "Cusco")
    puno = next(row for row in response.context["panel"]["regions"] if row["name"] == "Puno")
    assert cusco["servants"] == 6 and cusco["band"] == 4  # the region that reached most
    assert puno["servants"] == 0 and puno["band"] == 0  # only absences


def _published_ranking(odes, levels: dict[str, tuple]) -> None:
    ranking = ranking_services.ranking_create(year=2025, semester=1, by=odes)
    values = {
        Region.objects.get(name=name).pk: dict(zip(("goals", "additional", "financial"), row, strict=True))
        for name, row in levels.items()
    }
    ranking_services.ranking_import(ranking=ranking, values=values, by=odes)
    ranking_services.ranking_publish(ranking=ranking, request_key=uuid.uuid4(), by=odes)


def test_regions_ordered_by_ranking_level_and_a_regions_page_shows_its_level(seed, client_for):
    add_period_activity()
    odes = ROLE_FACTORIES["odes"]()
    _published_ranking(odes, {"Puno": (90, 90, 90), "Cusco": (20, 20, 20), "Piura": (60, 60, 60)})
    client = client_for(odes)

    ordered = client.get(PANEL, {"periodo": MARCH_APRIL.code, "orden": "nivel"}).context["panel"]["regions"]
    assert [row["name"] for row in ordered[:3]] == ["Puno", "Piura", "Cusco"]
    assert [row["level"] for row in ordered[:3]] == ["high", "medium", "low"]

    cusco = Region.objects.get(name="Cusco")
    page = client.get(reverse("dashboards:region", args=[cusco.pk]), {"periodo": MARCH_APRIL.code})
    html = page.content.decode()
    assert page.context["participation"]["servants"] == 6
    assert re.search(r'data-figure="servants">6<', html)
    assert "Nivel bajo" in html
    assert "puesto 3, puntaje 20,00" in html
    assert "Curso de inspección laboral" in html  # an action aimed at Cusco in the period


def test_the_panel_and_a_regions_page_keep_their_query_counts(seed, client_for, django_assert_max_num_queries):
    add_period_activity()
    add_period_activity(" (bis)")
    client = client_for("manager")
    # The monitoring snapshot: 16 queries plus six per bimester of the year so far (the trends).
    with django_assert_max_num_queries(37):
        assert client.get(PANEL, {"periodo": MARCH_APRIL.code}).status_code == 200
    with django_assert_max_num_queries(61):
        assert client.get(PANEL, {"periodo": "2025-6"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboards:region", args=[Region.objects.first().pk])).status_code == 200


def test_oea_staff_and_focal_points_are_refused_the_pfc_panel(seed, client_for):
    assert client_for("oea").get(PANEL).status_code == 403
    assert client_for("focal").get(PANEL).status_code == 403
