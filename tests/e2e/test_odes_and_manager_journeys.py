"""Journeys 4 and 5 – the PFC side: an ODES specialist runs a workshop for Hito 4 (attendance
grid, survey import), a manager gets the bimonthly monitoring report and can change nothing."""

import re

from playwright.sync_api import expect

from capacity_plan.models import Attendance, Milestone, OrganisationalUnit, Region, SatisfactionResponse, TrainingAction
from reports.models import ReportVersion
from tests.e2e.conftest import JOURNEY
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory
from tests.files import SURVEY_HEADERS, XLSX_MIME, xlsx_bytes
from tests.workers import celery_worker

pytestmark = JOURNEY


def xlsx(rows) -> bytes:
    return xlsx_bytes(SURVEY_HEADERS, rows)


def test_the_odes_specialist_runs_a_workshop_for_hito_4_attendance_and_surveys(seed, browser, make_user):
    make_user("odes", username="odes.lima", first_name="Carla", last_name="Mendoza")
    regions = {region.name: region for region in Region.objects.filter(name__in=["Cusco", "Puno", "Piura"])}
    names = sorted(regions)
    servants = [
        ServantFactory(region=regions[names[n % 3]], full_name=f"Directivo Regional {n + 1:02d}") for n in range(25)
    ]
    page = browser.page
    browser.sign_in("odes.lima")

    # The workshop, for Hito 4, aimed at three regions.
    browser.goto("/pfc/acciones/nueva/")
    browser.field("Tipo").select_option(label="Taller")
    browser.field("Título").fill("Taller de Liderazgo Transformacional – grupo sur")
    browser.field("Unidad orgánica").select_option(value=str(OrganisationalUnit.objects.get(acronym="ODES").pk))
    browser.field("Hito").select_option(value=str(Milestone.objects.get(number=4).pk))
    browser.field("Horas").fill("4")
    browser.field("Inicio programado").fill("2025-04-10")
    browser.field("Facilitador/a").fill("Experto en liderazgo transformacional")
    for name in names:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Taller de Liderazgo Transformacional – grupo sur")
    browser.check_page()
    action = TrainingAction.objects.get(title="Taller de Liderazgo Transformacional – grupo sur")
    assert action.milestone.number == 4 and set(action.target_regions.values_list("name", flat=True)) == set(names)

    # Its session, then the attendance grid: 22 present, 2 absent, 1 excused.
    page.get_by_role("link", name="Añadir sesión").click()
    browser.check_page()
    browser.field("Fecha").fill("2025-04-10")
    browser.field("Duración (horas)").fill("4")
    browser.field("Tema de la sesión").fill("Autoliderazgo e innovación pública")
    page.get_by_role("button", name="Guardar").click()
    grid = page.get_by_test_id("attendance-grid")
    expect(grid.locator("tbody tr")).to_have_count(25)
    browser.check_page()
    marks = {servant.full_name: "Presente" for servant in servants}
    marks.update(
        {"Directivo Regional 07": "Ausente", "Directivo Regional 19": "Ausente", "Directivo Regional 23": "Justificado"}
    )
    for name, status in marks.items():
        grid.get_by_label(f"{status}: {name}", exact=True).check()
    page.get_by_role("button", name="Guardar asistencia").click()
    expect(page.get_by_role("alert").filter(has_text="Se guardó la asistencia: 25 registros")).to_be_visible()
    browser.check_page()
    expect(page.get_by_label("Ausente: Directivo Regional 07", exact=True)).to_be_checked()
    saved = dict(Attendance.objects.filter(session__action=action).values_list("servant__full_name", "status"))
    assert len(saved) == 25
    assert sorted(name for name, status in saved.items() if status != "present") == [
        "Directivo Regional 07",
        "Directivo Regional 19",
        "Directivo Regional 23",
    ]

    # The Google Forms export, with one impossible rating: nothing is saved, the row is named.
    browser.goto(action.get_absolute_url())
    page.get_by_role("link", name="Importar encuestas").click()
    browser.check_page()
    good = [
        ["10/04/2025 13:05:11", servants[0].document_number, "Cusco", 5, 5, 4, 5, 4, "Muy útil"],
        ["10/04/2025 13:06:40", "", "", 4, 4, 4, 5, 5, ""],
        ["10/04/2025 13:09:02", servants[1].document_number, servants[1].region.name, 4, 5, 4, 4, 5, "Más casos"],
    ]
    bad = [*good, ["10/04/2025 13:12:30", servants[2].document_number, servants[2].region.name, 4, 9, 4, 4, 4, ""]]
    upload = browser.field("Archivo CSV o XLSX (como lo exporta Google Forms)")
    upload.set_input_files(files=[{"name": "respuestas.xlsx", "mimeType": XLSX_MIME, "buffer": xlsx(bad)}])
    page.get_by_role("button", name="Vista previa").click()
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("El archivo tiene 1 error. No se guardó nada")
    expect(errors).to_contain_text("Fila 5: Utilidad: La calificación va de 1 a 5 (se leyó 9).")
    browser.check_page()
    assert SatisfactionResponse.objects.filter(action=action).count() == 0

    # Fixed and imported again: previewed, confirmed, stored once.
    good.append(["10/04/2025 13:12:30", servants[2].document_number, servants[2].region.name, 4, 4, 4, 4, 4, ""])
    browser.field("Archivo CSV o XLSX (como lo exporta Google Forms)").set_input_files(
        files=[{"name": "respuestas.xlsx", "mimeType": XLSX_MIME, "buffer": xlsx(good)}]
    )
    page.get_by_role("button", name="Vista previa").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("4 filas válidas (4 nuevas")
    browser.check_page()
    assert SatisfactionResponse.objects.filter(action=action).count() == 0
    page.get_by_role("button", name="Confirmar importación").click()
    expect(page.get_by_role("alert").filter(has_text="Importación terminada: 4 nuevos")).to_be_visible()
    browser.check_page()
    assert SatisfactionResponse.objects.filter(action=action).count() == 4
    assert SatisfactionResponse.objects.filter(action=action, servant__isnull=True).count() == 1


EDIT_WORDS = re.compile(
    r"Editar|Nueva|Nuevo|Añadir|Registrar|Importar|Reprogramar|Cancelar acción|Marcar|Guardar|"
    r"Enviar|Subir|Publicar|Responder|Eliminar",
    re.IGNORECASE,
)


def test_the_manager_gets_the_monitoring_report_and_sees_no_edit_button_anywhere(seed, browser, make_user):
    make_user("manager", username="gerente", first_name="Jorge", last_name="Salas")
    hito4 = Milestone.objects.get(number=4)
    action = TrainingActionFactory(
        milestone=hito4,
        title="Taller de Liderazgo Transformacional",
        organisational_unit=OrganisationalUnit.objects.get(acronym="ODES"),
        regions=list(Region.objects.filter(name="Cusco")),
    )
    session = ActionSessionFactory(action=action)
    cusco = Region.objects.get(name="Cusco")
    for _n in range(5):
        Attendance.objects.create(
            session=session, servant=ServantFactory(region=cusco), status=Attendance.Status.PRESENT
        )
    page = browser.page
    browser.sign_in("gerente")

    with celery_worker(name="journey5"):
        page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Informes").click()
        browser.check_page()
        page.get_by_role("link", name="Ver y solicitar informes de seguimiento").click()
        browser.check_page()
        browser.field("Periodo bimestral").select_option(value="2025-2")
        page.get_by_role("button", name="Generar informe").click()
        browser.check_page()
        download_button = page.get_by_role("link", name=re.compile(r"Descargar PDF \(versión \d+\)"))
        expect(download_button).to_be_visible(timeout=120_000)
    browser.check_page()
    text = browser.download_pdf_text(download_button)
    assert "Taller de Liderazgo Transformacional" in text
    assert re.search(r"mar(zo)?\.?\s*[–-]\s*abr(il)?\.? (de )?2025", text, re.IGNORECASE), text[:300]
    assert ReportVersion.objects.filter(job__kind="monitoring").count() == 1

    # Everywhere a manager reads, nothing offers a change.
    pages = [
        "/",
        "/cooperaciones/",
        "/cooperaciones/plazos/",
        "/cooperaciones/2/",
        "/pfc/",
        hito4.get_absolute_url(),
        "/pfc/acciones/",
        action.get_absolute_url(),
        "/pfc/catalogo/",
        "/informes/",
        "/informes/monitoring/",
    ]
    for path in pages:
        browser.goto(path)
        main = page.locator("main")
        offers = [
            text for text in main.locator("a, button, input[type=submit]").all_inner_texts() if EDIT_WORDS.search(text)
        ]
        if path == "/informes/monitoring/":
            offers = [text for text in offers if "Generar informe" not in text]
        assert not offers, f"{path} offers a manager: {offers}"
        expect(main.locator("form[method=post]")).to_have_count(1 if path == "/informes/monitoring/" else 0)
