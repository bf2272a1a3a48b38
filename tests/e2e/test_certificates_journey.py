"""The certificates journey: an ODES specialist issues the certificates of a diplomado and follows
the job on the action's page; on a phone, anyone with the verification link sees the certificate
valid, without an account."""

import io
import zipfile

from playwright.sync_api import expect

from certificates.models import Certificate
from tests.certificates.conftest import build_diploma
from tests.e2e.conftest import JOURNEY
from tests.workers import celery_worker

pytestmark = JOURNEY


def test_odes_issue_the_certificates_and_a_phone_verifies_one(browser, make_user):
    make_user("odes", username="odes.certificados")
    diploma = build_diploma()
    page = browser.page
    browser.sign_in("odes.certificados")

    browser.goto(diploma.action.get_absolute_url())
    panel = page.get_by_test_id("certificates-panel")
    expect(panel).to_contain_text("23,5 h de 24 h")
    with celery_worker(name="certificates"):
        panel.get_by_role("button", name="Emitir certificados").click()
        job = page.get_by_test_id("certificate-job")
        # htmx refreshes the job's card until it is done.
        expect(job).to_have_attribute("data-status", "done", timeout=120_000)
    expect(job).to_contain_text("Listo: 1 certificado (1 nuevo).")
    name, content = browser.download(job.get_by_role("link", name="Descargar todos (ZIP)"))
    assert name == "certificados-diplomado-en-gestion-publica-regional.zip"
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 1
    browser.check_page()

    certificate = Certificate.objects.get()
    page.get_by_role("button", name="Cerrar sesión").click()
    page.set_viewport_size({"width": 360, "height": 740})
    browser.goto(f"/verificar/{certificate.code}")
    expect(page.get_by_test_id("certificate-status")).to_have_attribute("data-status", "valid")
    expect(page.get_by_role("main")).to_contain_text("Ana Exacta")
    expect(page.get_by_role("main")).not_to_contain_text("Bruno Corto")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
