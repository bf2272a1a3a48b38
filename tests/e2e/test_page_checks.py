"""The checks every journey relies on really catch what they claim to catch."""

import pytest

from tests.e2e.conftest import JOURNEY

pytestmark = JOURNEY

BROKEN_PAGE = """<!doctype html><html lang="es"><head><title>Prueba</title></head><body><main>
<h1>Título</h1><h3>Salta un nivel</h3>
<form><input type="text" name="sin-etiqueta"></form>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>"""


def test_the_accessibility_check_names_each_basic_problem(browser):
    browser.page.set_content(BROKEN_PAGE)
    with pytest.raises(AssertionError) as failure:
        browser.check_page()
    message = str(failure.value)
    for rule in ("label:", "heading-order:", "image-alt:"):
        assert rule in message
    browser.goto("/cuenta/login/")  # leaves the journey on a page that passes


def test_a_console_error_fails_the_page_check_unless_the_journey_expects_it(browser):
    browser.goto("/cuenta/login/")
    browser.page.evaluate("console.error('algo falló')")
    with pytest.raises(AssertionError, match="algo falló"):
        browser.check_page()
    browser.console_errors.clear()
    browser.expect_console_error("esperado")
    browser.page.evaluate("console.error('un error esperado')")
    browser.check_page()


def test_an_inline_script_is_refused_by_the_content_security_policy_and_reported(browser):
    browser.goto("/cuenta/login/")
    browser.page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.inyectado = true'; document.body.appendChild(s); }""")
    assert browser.page.evaluate("window.inyectado === undefined")
    with pytest.raises(AssertionError, match="Content Security Policy"):
        browser.check_page()
    browser.console_errors.clear()
