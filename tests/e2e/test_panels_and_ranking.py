"""Issue 16's journeys: OEA staff open the cooperations panel and find seed 001's overdue steps
under MTPE and MITRADEL; an ODES specialist imports the regional ranking, publishes it and finds
the levels on the PFC panel, on a phone-sized screen."""

from pathlib import Path

from playwright.sync_api import expect

from capacity_plan.models import Region
from ranking.models import RankingVersion
from tests.e2e.conftest import JOURNEY
from tests.reports.test_monitoring_content import add_period_activity

pytestmark = JOURNEY
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "ranking-regional-ejemplo.xlsx"


def test_oea_staff_find_the_overdue_seed_steps_by_institution(seed, browser, make_user):
    make_user("oea", username="oea.staff")
    page = browser.page
    browser.sign_in("oea.staff")

    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Panel de cooperaciones"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel de cooperaciones")
    browser.check_page()
    for institution in ("MTPE", "MITRADEL"):
        group = page.locator(f'[data-institution="{institution}"]')
        expect(group.locator("li.overdue").filter(has_text="Perú – Panamá").first).to_be_visible()
    page.locator('[data-institution="MITRADEL"]').get_by_role("link", name="Perú – Panamá").first.click()
    expect(page).to_have_url(browser.url("/cooperaciones/2/") + "#paso-201")


def test_odes_imports_and_publishes_the_ranking_and_finds_it_on_the_pfc_panel(seed, browser, make_user):
    make_user("odes", username="odes.lima")
    add_period_activity()
    page = browser.page
    browser.sign_in("odes.lima")
    page.set_viewport_size({"width": 390, "height": 844})

    browser.goto("/ranking/")
    browser.field("Año").fill("2025")
    browser.field("Semestre").select_option(label="Primer semestre")
    page.get_by_role("button", name="Crear").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking primer semestre 2025")
    browser.check_page()

    page.get_by_role("link", name="Importar XLSX").click()
    browser.check_page()
    browser.field("Archivo XLSX").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Importar").click()
    expect(page.get_by_role("alert")).to_contain_text("Se importaron los valores de 25 regiones.")
    expect(page.get_by_test_id("indicator-note")).to_contain_text("suman 13")
    browser.check_page()

    page.get_by_role("button", name="Publicar nueva versión").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ranking primer semestre 2025, versión 1")
    browser.check_page()
    text = browser.download_pdf_text(page.get_by_role("link", name="Descargar PDF"))
    assert "Madre de Dios" in text and "VALORES INVENTADOS" in text
    version = RankingVersion.objects.get()
    cusco = next(row for row in version.snapshot["rows"] if row["region_name"] == "Cusco")

    browser.goto("/panel/pfc/?periodo=2025-2&orden=nivel")
    first = page.get_by_test_id("regions").locator("tbody tr").first
    expect(first.locator("td").last).to_have_text("Nivel alto")
    page.get_by_test_id("tile-map").locator(f'a[data-region="{Region.objects.get(name="Cusco").pk}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Región Cusco")
    expect(page.locator('[data-figure="servants"]')).to_have_text("6")
    expect(page.locator('[data-figure="level"]')).to_have_text(cusco["level_label"])
    browser.check_page()
