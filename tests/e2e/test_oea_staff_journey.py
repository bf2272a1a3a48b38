"""Journey 1 – OEA staff keep the Peru–Panama cooperation up to date and publish its summary."""

import re

from playwright.sync_api import expect

from cooperations.models import Session, Step
from reports.models import ReportVersion
from tests.e2e.conftest import JOURNEY
from tests.workers import celery_worker

pytestmark = JOURNEY

PERU_PANAMA = "Perú – Panamá: orientación vocacional"


def test_oea_staff_add_a_session_and_a_step_then_publish_and_download_the_summary(seed, browser, make_user):
    make_user("oea", username="ana.oea", first_name="Ana", last_name="Rivas")
    page = browser.page
    browser.sign_in("ana.oea")

    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Cooperaciones RIAL").click()
    browser.check_page()
    page.get_by_role("link", name=PERU_PANAMA).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Perú y Panamá")
    browser.check_page()

    # A session whose date is not decided yet.
    page.get_by_role("link", name="Añadir sesión").click()
    browser.check_page()
    browser.field("Orden").fill("5")
    browser.field("Tipo").select_option(label="Sesión de cierre")
    browser.field("Título").fill("Sesión de cierre y balance")
    browser.field("Fecha por definir").fill("Primera quincena de diciembre (por definir)")
    page.get_by_role("button", name="Guardar").click()
    session_item = page.locator("article.timeline-item", has_text="Sesión de cierre y balance")
    expect(session_item.get_by_test_id("session-when")).to_contain_text("Por definir")
    expect(session_item.get_by_test_id("session-when")).to_contain_text("Primera quincena de diciembre")
    browser.check_page()

    # The date is decided: 10:00 in Panama, shown in both countries' zones.
    session_item.get_by_role("link", name="Editar").click()
    browser.check_page()
    browser.field("Fecha").fill("2026-12-10")
    browser.field("Hora de inicio").fill("10:00")
    browser.field("Hora de fin").fill("11:30")
    browser.field("Zona horaria de las horas indicadas").select_option(value="America/Panama")
    page.get_by_role("button", name="Guardar").click()
    session_item = page.locator("article.timeline-item", has_text="Sesión de cierre y balance")
    when = session_item.get_by_test_id("session-when")
    expect(when).not_to_contain_text("Por definir")
    expect(when).to_contain_text("10 de diciembre de 2026")
    # Peru and Panama are both UTC−5: the same hour, named for each country.
    expect(when).to_contain_text(re.compile(r"10:00.*Perú.*10:00.*Panamá|10:00.*Panamá.*10:00.*Perú"))
    browser.check_page()
    session = Session.objects.get(title="Sesión de cierre y balance")
    assert session.starts_at.isoformat() == "2026-12-10T15:00:00+00:00"

    # A step with a deadline after that session.
    page.get_by_role("link", name="Editar pasos y plazos").click()
    browser.check_page()
    row = int(page.locator("input[name$='-INITIAL_FORMS']").input_value())
    page.locator(f"[name$='-{row}-order']").fill("1")
    page.locator(f"[name$='-{row}-after_session']").select_option(label=str(session))
    page.locator(f"[name$='-{row}-text']").fill("Enviar el informe final de la cooperación a la OEA")
    page.locator(f"[name$='-{row}-responsible_institutions']").first.check()
    page.locator(f"[name$='-{row}-due_date']").fill("2026-12-20")
    page.get_by_role("button", name="Guardar").click()
    step = page.locator("li.list-group-item", has_text="Enviar el informe final de la cooperación")
    expect(step).to_contain_text("A más tardar el 20 de diciembre de 2026")
    browser.check_page()
    assert Step.objects.get(text__startswith="Enviar el informe final").after_session == session

    # Publish a new version of the summary and download it once the worker has rendered it.
    with celery_worker(name="journey1"):
        page.get_by_role("link", name="Resumen en PDF").click()
        browser.check_page()
        browser.field("Etiqueta de la versión").fill("abierta a comentarios")
        page.get_by_role("button", name="Publicar nueva versión").click()
        browser.check_page()
        download_button = page.get_by_role("link", name=re.compile(r"Descargar PDF \(versión 1\)"))
        expect(download_button).to_be_visible(timeout=90_000)
    browser.check_page()
    text = browser.download_pdf_text(download_button)
    assert "Sesión de cierre y balance" in text
    assert "Enviar el informe final de la cooperación a la OEA" in text
    assert "abierta a comentarios" in text
    assert ReportVersion.objects.get().number == 1
