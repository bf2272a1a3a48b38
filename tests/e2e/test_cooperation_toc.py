"""The long Ecuador–México page, read on a phone and on a desktop, through its table of contents."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import JOURNEY

pytestmark = JOURNEY

ECUADOR_MEXICO = "Ecuador – México: servicios públicos de empleo"


def test_on_a_phone_the_table_of_contents_opens_leads_to_the_participants_and_stays_at_hand(seed, browser, make_user):
    make_user("oea", username="oea.toc")
    page = browser.page
    browser.sign_in("oea.toc")
    page.set_viewport_size({"width": 390, "height": 844})
    browser.goto("/cooperaciones/")
    page.get_by_role("link", name=ECUADOR_MEXICO).click()
    browser.check_page()

    toc = page.get_by_role("navigation", name="Índice de la cooperación")
    toggle = toc.get_by_role("button", name="Índice de la página")
    expect(toc.get_by_role("link", name="Participantes")).to_be_hidden()  # collapsed on a phone

    toggle.click()
    participants = toc.get_by_role("link", name="Participantes")
    expect(participants).to_be_visible()
    expect(participants).to_contain_text("43")
    expect(page.locator("#indice")).to_have_class(re.compile(r"\bshow\b"))  # opened (its animation over)
    participants.click()

    expect(page).to_have_url(re.compile(r"#participantes$"))
    expect(page.get_by_role("heading", name="Participantes", level=2)).to_be_in_viewport()
    expect(participants).to_be_hidden()  # the list closed again
    expect(toggle).to_be_in_viewport()  # and its button stays at the top of the screen
    browser.check_page()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("heading", name="Entregables", level=2).scroll_into_view_if_needed()
    expect(toc.get_by_role("link", name="Preguntas")).to_be_in_viewport()  # a sticky column beside the text
    expect(toggle).to_be_hidden()
