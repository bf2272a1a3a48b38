"""Exports in the browser: the manager downloads the training actions as XLSX from the list's
«Exportar» button, filtered as the list is; an ODES specialist's long attendance list is prepared
in the background, and its page (htmx) turns into the download link when a real worker is done."""

import datetime
import io
import re

import openpyxl
from playwright.sync_api import expect

from capacity_plan.models import Attendance, Milestone, OrganisationalUnit, Region
from tests.e2e.conftest import JOURNEY
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory
from tests.workers import celery_worker

pytestmark = JOURNEY


def actions():
    hito4 = Milestone.objects.get(number=4)
    cusco = Region.objects.get(name="Cusco")
    workshop = TrainingActionFactory(
        milestone=hito4,
        title="Taller de Liderazgo Transformacional",
        organisational_unit=OrganisationalUnit.objects.get(acronym="ODES"),
        regions=[cusco],
    )
    TrainingActionFactory(milestone=hito4, title="Curso de normativa laboral", planned_start=datetime.date(2025, 6, 2))
    session = ActionSessionFactory(action=workshop)
    for _n in range(8):
        Attendance.objects.create(
            session=session, servant=ServantFactory(region=cusco), status=Attendance.Status.PRESENT
        )
    return workshop


def test_the_manager_downloads_the_filtered_training_actions_as_xlsx(seed, browser, make_user):
    make_user("manager", username="gerente")
    actions()
    page = browser.page
    browser.sign_in("gerente")
    browser.goto("/pfc/acciones/?q=Liderazgo")

    page.get_by_role("button", name="Exportar").click()
    name, content = browser.download(page.get_by_role("link", name="Acciones formativas en XLSX"))

    assert name == f"acciones-formativas-{datetime.date.today().isoformat()}.xlsx"
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Taller de Liderazgo Transformacional"]


def test_a_long_attendance_list_is_prepared_in_the_background(seed, browser, make_user, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5
    make_user("odes", username="especialista")
    actions()
    page = browser.page
    browser.sign_in("especialista")
    browser.goto("/pfc/acciones/")

    with celery_worker(name="exportjourney"):
        page.get_by_role("button", name="Exportar").click()
        page.get_by_role("link", name="Asistencia en CSV").click()
        browser.check_page()
        expect(page.get_by_text(re.compile("La lista tiene 8 filas"))).to_be_visible()
        page.get_by_role("button", name="Preparar el archivo CSV").click()
        browser.check_page()
        download_link = page.get_by_role("link", name=re.compile(r"Descargar asistencia-.*\.csv"))
        expect(download_link).to_be_visible(timeout=90_000)
    browser.check_page()
    name, content = browser.download(download_link)

    assert name == f"asistencia-{datetime.date.today().isoformat()}.csv"
    assert content.decode("utf-8-sig").count("Taller de Liderazgo Transformacional") == 8
