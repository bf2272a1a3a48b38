"""Browser journeys: Debian's Chromium driven by Playwright against a live server on the test
PostgreSQL, with Redis as broker and a real Celery worker where a journey waits for a job.

Every journey gets a `Browser` helper that signs in through the login form, records console
errors, and runs axe-core's basic accessibility rules on each page it is asked to check. A failed
journey leaves a full-page screenshot and its console log under test-artifacts/e2e/.
"""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connections
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import TEST_PASSWORD
from tests.reports.pdf import pdf_text

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"

# The basic accessibility checks every page must pass: every input, select and button has an
# accessible name, headings go down one level at a time from a single h1, images have alt text.
AXE_RULES = [
    "label",
    "select-name",
    "button-name",
    "input-button-name",
    "link-name",
    "form-field-multiple-labels",
    "aria-input-field-name",
    "image-alt",
    "input-image-alt",
    "svg-img-alt",
    "role-img-alt",
    "heading-order",
    "page-has-heading-one",
    "empty-heading",
    "document-title",
    "html-has-lang",
    "landmark-one-main",
    "list",
    "listitem",
    "aria-valid-attr",
    "duplicate-id-aria",
]
AXE_OPTIONS = {"runOnly": {"type": "rule", "values": AXE_RULES}, "resultTypes": ["violations"]}
AXE = Axe()

# Each journey module marks itself with this (the live server needs committed data).
JOURNEY = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


class Browser:
    """One signed-in (or anonymous) tab, with the checks the journeys share."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.expected_errors: list[re.Pattern] = []
        self.checked_pages: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"{page.url}: uncaught {error}"))

    def _on_console(self, message):
        if message.type != "error":
            return
        text = f"{self.page.url}: {message.text}"
        if not any(pattern.search(text) for pattern in self.expected_errors):
            self.console_errors.append(text)

    def url(self, path: str) -> str:
        return self.base_url + path

    def field(self, label: str, within=None):
        """The form control with exactly this label (crispy marks required ones with «*»)."""
        return (within or self.page).get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.check_page()
        return response

    def sign_in(self, username: str, password: str = TEST_PASSWORD):
        self.page.goto(self.url("/cuenta/login/"))
        self.check_page()
        self.page.get_by_label("Nombre de usuario").fill(username)
        self.page.get_by_label("Contraseña").fill(password)
        self.page.get_by_role("button", name="Entrar").click()
        expect(self.page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
        self.check_page()

    def check_page(self):
        """The page in front of the user passes the basic accessibility rules and has logged no
        console error so far (a CSP violation or a JavaScript error is a console error)."""
        self.page.wait_for_load_state("load")
        results = AXE.run(self.page, options=AXE_OPTIONS)
        violations = [
            f"{violation['id']}: {violation['help']} – "
            + "; ".join(node["html"][:160] for node in violation["nodes"][:5])
            for violation in results.response["violations"]
        ]
        assert not violations, f"accessibility problems on {self.page.url}:\n" + "\n".join(violations)
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        self.checked_pages.append(self.page.url)

    def download(self, link) -> tuple[str, bytes]:
        """Click a download link; the file's suggested name and its bytes."""
        with self.page.expect_download() as download_info:
            link.click()
        download = download_info.value
        return download.suggested_filename, open(download.path(), "rb").read()

    def download_pdf_text(self, link) -> str:
        """Download a PDF and return its text, whitespace normalised, as a reader sees it."""
        name, content = self.download(link)
        assert name.endswith(".pdf") and content.startswith(b"%PDF"), name
        return pdf_text(content)

    def expect_console_error(self, pattern: str):
        """A console error the journey provokes on purpose (e.g. the 404 of a refused page)."""
        self.expected_errors.append(re.compile(pattern))


@pytest.fixture
def seed(transactional_db, seed_snapshot):
    """The seed data, committed (the live server reads it from its own connection)."""
    seed_snapshot.restore()


@pytest.fixture
def browser(live_server, request, monkeypatch):
    """A fresh Chromium (Debian's, never a downloaded one) with one tab on the live server."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        context = chromium.new_context(
            locale="es-PE", timezone_id="America/Lima", accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        tab = Browser(page, live_server.url)
        try:
            yield tab
            report = getattr(request.node, "report_call", None)
            # The last page of a journey is checked as well.
            if report is not None and report.passed and page.url not in tab.checked_pages[-1:]:
                tab.check_page()
        finally:
            report = getattr(request.node, "report_call", None)
            if report is not None and report.failed and not page.is_closed():
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
                (ARTIFACTS / f"{request.node.name}.console.txt").write_text("\n".join(tab.console_errors))
            context.close()
            chromium.close()
            # The test's own queries ran while Playwright's loop was current, which gives them a
            # connection of their own (asgiref's context-local storage): close it here, or it
            # keeps the test database busy when pytest-django drops it.
            connections.close_all()
