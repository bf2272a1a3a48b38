"""A manager makes a personal API token on their page, opens the API's Swagger UI (served from our
static files under the Content-Security-Policy) and revokes the token."""

import json
import urllib.error
import urllib.request

from playwright.sync_api import expect

from tests.e2e.conftest import JOURNEY

pytestmark = JOURNEY


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_manager_creates_a_token_reads_the_docs_and_revokes_it(seed, browser, make_user):
    make_user("manager", username="gerente.api")
    page = browser.page
    browser.sign_in("gerente.api")
    page.get_by_role("link", name="Tokens de API").click()
    browser.check_page()

    browser.field("Nombre").fill("Power BI")
    page.get_by_role("button", name="Crear token").click()
    secret = page.get_by_test_id("token-secret").inner_text().strip()
    browser.check_page()
    assert _status(browser.url("/api/v1/cooperations/"), secret) == 200

    # Swagger UI draws every operation of the schema, with no CSP violation or script error.
    page.get_by_role("link", name="la API de solo lectura").click()
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=60_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/cooperations/").first).to_be_visible()
    assert not browser.console_errors, browser.console_errors

    browser.goto("/cuenta/tokens/")
    page.get_by_role("button", name="Revocar").click()
    expect(page.get_by_text("Token revocado")).to_be_visible()
    expect(page.get_by_text("No tiene tokens.")).to_be_visible()
    browser.check_page()
    assert _status(browser.url("/api/v1/cooperations/"), secret) == 401
