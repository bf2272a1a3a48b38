"""Issue 15: ODES open check-in for today's session; a servant on a 360-px phone checks in through
the link, answers the survey, is told politely that a second check-in is not needed; the grid and
the action page show the mark."""

import re
import time
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from capacity_plan import check_in
from capacity_plan.models import Attendance, CheckIn, CheckInLink, PublicServant, Region, SatisfactionResponse
from tests.e2e.conftest import JOURNEY
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory

pytestmark = JOURNEY

PHONE = {"width": 360, "height": 740}


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_servant_checks_in_by_the_link_on_a_phone_and_answers_the_survey(
    seed, browser, make_user, settings, live_server
):
    settings.SITE_URL = live_server.url
    settings.CHECK_IN_MINIMUM_FILL_SECONDS = 1
    cache.clear()
    make_user("odes", username="odes.enlace")
    cusco = Region.objects.get(name="Cusco")
    action = TrainingActionFactory(regions=[cusco], title="Taller virtual de inspección laboral")
    session = ActionSessionFactory(action=action, date=timezone.localdate(), duration_hours=Decimal("2"))
    page = browser.page

    # ODES open check-in with the window offered, and read the link beside its QR code.
    browser.sign_in("odes.enlace")
    browser.goto(f"/pfc/acciones/{action.pk}/")
    page.get_by_role("link", name="Registro por enlace").click()
    browser.check_page()
    page.get_by_role("button", name="Abrir el registro de asistencia").click()
    expect(page.get_by_role("alert").filter(has_text="quedó abierto")).to_be_visible()
    expect(page.get_by_test_id("check-in-qr").locator("svg")).to_be_visible()
    link = page.get_by_test_id("check-in-url").inner_text()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/asistencia/[\w-]{{16}}/", link)
    browser.check_page()
    page.get_by_role("button", name="Cerrar sesión").click()

    # On the phone, without an account: DNI first, then the details of someone new.
    page.set_viewport_size(PHONE)
    page.goto(link)
    browser.check_page()
    assert fits_the_phone(page)
    browser.field("DNI").fill("71234567")
    time.sleep(1.2)  # a person takes longer than a bot to fill the form
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name="Sus datos")).to_be_visible()
    browser.check_page()
    browser.field("Nombres y apellidos").fill("Rosa Elvira Huamán Quispe")
    browser.field("Correo electrónico").fill("rhuaman@drtpe-cusco.gob.pe")
    browser.field("Región (G/DRTPE)").select_option(label="Cusco")
    browser.field("Cargo").fill("Inspectora de trabajo")
    page.get_by_role("button", name="Registrar asistencia").click()
    expect(page.get_by_role("status")).to_contain_text("Su asistencia a esta sesión quedó registrada")
    browser.check_page()
    assert fits_the_phone(page)

    # The survey: five ratings and a comment.
    page.get_by_role("link", name="Responder la encuesta").click()
    browser.check_page()
    assert fits_the_phone(page)
    for aspect, rating in (
        ("clarity", 5),
        ("usefulness", 4),
        ("materials", 4),
        ("facilitator", 5),
        ("applicability", 3),
    ):
        page.locator(f"#id_{aspect}_{rating - 1}").check()
    browser.field("Comentarios y sugerencias").fill("Muy claro; faltó tiempo para los casos prácticos.")
    page.get_by_role("button", name="Enviar encuesta").click()
    expect(page.get_by_role("status")).to_contain_text("Su respuesta quedó registrada")
    servant = PublicServant.objects.get(document_number="71234567")
    answer = SatisfactionResponse.objects.get(action=action)
    assert answer.servant == servant and (answer.clarity, answer.applicability) == (5, 3)

    # A second check-in: recognised by the DNI, only confirms, and is told it is not needed.
    page.goto(link)
    browser.field("DNI").fill("71234567")
    time.sleep(1.2)
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", name="Confirme su asistencia")).to_be_visible()
    assert "Rosa" not in page.content()  # nothing personal is shown back
    page.get_by_role("button", name="Confirmar asistencia").click()
    expect(page.get_by_role("heading", name="Ya registró su asistencia")).to_be_visible()
    expect(page.get_by_text("Ya respondió la encuesta de satisfacción de esta sesión.")).to_be_visible()
    browser.check_page()
    assert Attendance.objects.filter(session=session).count() == 1
    assert CheckIn.objects.filter(session=session).count() == 1

    # ODES see the mark in the grid and the counts on the action page.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser.sign_in("odes.enlace")
    browser.goto(f"/pfc/sesiones/{session.pk}/asistencia/")
    expect(page.get_by_label("Presente: Rosa Elvira Huamán Quispe", exact=True)).to_be_checked()
    browser.goto(f"/pfc/acciones/{action.pk}/")
    row = page.get_by_test_id(f"session-registers-{session.pk}")
    expect(row).to_contain_text("1 / 1")
    expect(row).to_contain_text("registro abierto")

    # Another participant checks in while ODES watch the page: the counts refresh by themselves.
    other = ServantFactory(region=cusco, full_name="Jorge Condori Mamani")
    check_in.check_in_record(
        link=CheckInLink.objects.get(session=session, state="active"), document_number=other.document_number
    )
    expect(row).to_contain_text("2 / 2", timeout=30_000)
