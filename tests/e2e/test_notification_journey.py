"""Journey: Peru's focal point sends questions; Panama's focal point sees the unread badge, opens
the notification and lands on the first question."""

import re

from playwright.sync_api import expect

from cooperations.models import Cooperation, Institution, Question, SpecificObjective
from tests.e2e.conftest import JOURNEY
from tests.factories import focal_point_for

pytestmark = JOURNEY

PERU_PANAMA = "Perú – Panamá: orientación vocacional"


def test_a_focal_point_sees_the_badge_after_questions_are_sent_and_lands_on_the_question(seed, browser):
    focal_point_for(
        Institution.objects.get(acronym="MTPE"), username="focal.peru", first_name="Rosa", last_name="Quispe"
    )
    focal_point_for(
        Institution.objects.get(acronym="MITRADEL"), username="focal.panama", first_name="Luis", last_name="Pérez"
    )
    cooperation = Cooperation.objects.get(short_name=PERU_PANAMA)
    objective = SpecificObjective.objects.get(cooperation=cooperation, order=2)
    page = browser.page

    browser.sign_in("focal.peru")
    page.goto(browser.url(f"/cooperaciones/{cooperation.pk}/preguntas/nuevas/"))
    browser.field("Objetivo específico").select_option(value=str(objective.pk))
    browser.field("Pregunta o lista numerada de preguntas").fill(
        "1. ¿Cómo se seleccionan los orientadores?\n2. ¿Qué instrumentos utilizan?"
    )
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("alert").filter(has_text="Se registraron 2 preguntas")).to_be_visible()
    page.get_by_role("button", name="Cerrar sesión").click()

    browser.sign_in("focal.panama")
    expect(page.get_by_test_id("unread-badge")).to_have_text(re.compile(r"^\s*1\s*sin leer\s*$"))
    page.get_by_test_id("notifications-link").click()
    browser.check_page()
    notification = page.get_by_test_id("notification-open").first
    expect(notification).to_contain_text("MTPE le envió 2 preguntas")
    notification.click()

    first = Question.objects.filter(objective=objective).order_by("number").first()
    assert first is not None
    expect(page).to_have_url(re.compile(rf"/cooperaciones/{cooperation.pk}/#pregunta-{first.pk}$"))
    expect(page.locator(f"#pregunta-{first.pk}")).to_contain_text("¿Cómo se seleccionan los orientadores?")
    expect(page.get_by_test_id("unread-badge")).to_have_count(0)
    browser.check_page()
