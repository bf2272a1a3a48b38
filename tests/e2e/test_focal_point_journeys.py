"""Journeys 2 and 3 – the two focal points of the Peru–Panama cooperation: Peru asks and uploads
its work plan, Panama answers."""

import re

from playwright.sync_api import expect

from cooperations import services
from cooperations.models import Cooperation, DeliverableVersion, Institution, Question, SpecificObjective
from tests.e2e.conftest import JOURNEY
from tests.factories import focal_point_for
from tests.files import DOCX_MIME, PDF_BYTES, docx_bytes

pytestmark = JOURNEY

PERU_PANAMA = "Perú – Panamá: orientación vocacional"
QUESTIONS = """1. ¿Cómo se seleccionan los orientadores vocacionales y qué perfil profesional se les exige?
2. ¿Qué instrumentos de evaluación de intereses utilizan con los jóvenes?
   · ¿Están validados para la población panameña?
3. ¿Cómo se articula el servicio con los colegios del MEDUCA?
4. ¿Qué indicadores de resultado reportan cada año?
5. ¿Cuánto cuesta al año el servicio por usuario atendido?"""


def peru_panama() -> Cooperation:
    return Cooperation.objects.get(short_name=PERU_PANAMA)


def test_the_peruvian_focal_point_sends_questions_and_uploads_two_versions_of_the_work_plan(seed, browser):
    focal_point_for(
        Institution.objects.get(acronym="MTPE"), username="focal.peru", first_name="Rosa", last_name="Quispe"
    )
    page = browser.page
    browser.sign_in("focal.peru")
    page.get_by_role("link", name="Cooperaciones RIAL").first.click()
    browser.check_page()
    page.get_by_role("link", name=PERU_PANAMA).click()
    browser.check_page()
    objective = SpecificObjective.objects.get(cooperation=peru_panama(), order=2)

    # Five numbered questions pasted under the second objective.
    page.get_by_role("link", name="Enviar preguntas").click()
    browser.check_page()
    browser.field("Objetivo específico").select_option(value=str(objective.pk))
    browser.field("Pregunta o lista numerada de preguntas").fill(QUESTIONS)
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("alert").filter(has_text="Se registraron 5 preguntas")).to_be_visible()
    browser.check_page()
    group = page.locator("ol.list-group").filter(has_text="¿Cómo se seleccionan los orientadores")
    expect(group.locator("> li")).to_have_count(5)
    expect(group).to_contain_text("¿Están validados para la población panameña?")
    asked = Question.objects.filter(objective=objective).select_related("asked_by").order_by("number")
    assert [question.text[:20] for question in asked] == [
        "¿Cómo se seleccionan",
        "¿Qué instrumentos de",
        "¿Cómo se articula el",
        "¿Qué indicadores de ",
        "¿Cuánto cuesta al añ",
    ]
    assert {question.asked_by.acronym for question in asked} == {"MTPE"}

    # The work plan: a first DOCX, then a second version.
    work_plan = page.locator(".card").filter(has_text="Plan de Trabajo para la mejora del Servicio")
    for number, note in ((1, "Primer borrador"), (2, "Versión revisada tras la segunda sesión")):
        work_plan.get_by_role("link", name=re.compile("Subir nueva versión")).click()
        browser.check_page()
        browser.field("Archivo").set_input_files(
            files=[
                {
                    "name": f"plan-de-trabajo-v{number}.docx",
                    "mimeType": DOCX_MIME,
                    "buffer": docx_bytes(f"Plan de Trabajo SOVIO, versión {number}"),
                }
            ]
        )
        browser.field("Nota de la versión").fill(note)
        page.get_by_role("button", name="Subir").click()
        work_plan = page.locator(".card").filter(has_text="Plan de Trabajo para la mejora del Servicio")
        expect(work_plan.get_by_role("link", name=f"v{number} · plan-de-trabajo-v{number}.docx")).to_be_visible()
        browser.check_page()
    expect(work_plan).to_contain_text("Versión revisada tras la segunda sesión")
    versions = DeliverableVersion.objects.filter(deliverable__title__startswith="Plan de Trabajo para la mejora")
    assert sorted(versions.values_list("number", "original_name")) == [
        (1, "plan-de-trabajo-v1.docx"),
        (2, "plan-de-trabajo-v2.docx"),
    ]

    assert browser.download(work_plan.get_by_role("link", name="v2 · plan-de-trabajo-v2.docx")) == (
        "plan-de-trabajo-v2.docx",
        docx_bytes("Plan de Trabajo SOVIO, versión 2"),
    )

    # A cooperation between two other ministries, typed into the address bar: refused, and its
    # existence not revealed.
    browser.expect_console_error(r"status of 404")
    other = Cooperation.objects.get(short_name="Ecuador – México: servicios públicos de empleo")
    response = browser.goto(f"/cooperaciones/{other.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Página no encontrada")
    expect(page.locator("main")).not_to_contain_text("Ecuador")
    page.get_by_role("navigation", name="Navegación principal").get_by_role("link", name="Cooperaciones RIAL").click()
    expect(page.get_by_role("link", name=re.compile("Ecuador"))).to_have_count(0)
    browser.check_page()


def test_the_panamanian_focal_point_answers_two_questions_one_with_an_attachment(seed, browser):
    cooperation = peru_panama()
    objective = SpecificObjective.objects.get(cooperation=cooperation, order=2)
    peru = focal_point_for(Institution.objects.get(acronym="MTPE"), username="focal.peru")
    services.questions_submit(cooperation=cooperation, objective=objective, raw_text=QUESTIONS, by=peru)
    focal_point_for(
        Institution.objects.get(acronym="MITRADEL"), username="focal.panama", first_name="Luis", last_name="Herrera"
    )
    first, second = Question.objects.filter(objective=objective).order_by("number")[:2]

    page = browser.page
    browser.sign_in("focal.panama")
    browser.goto(cooperation.get_absolute_url())

    # A written answer.
    page.locator(f"#pregunta-{first.pk}").get_by_role("link", name=re.compile("Responder")).click()
    browser.check_page()
    expect(page.locator("main")).to_contain_text("¿Cómo se seleccionan los orientadores vocacionales")
    browser.field("Respuesta escrita").fill(
        "Por concurso público; se exige licenciatura en Psicología o Educación y dos años de experiencia."
    )
    page.get_by_role("button", name="Guardar respuesta").click()
    answered = page.locator(f"#pregunta-{first.pk}")
    expect(answered).to_contain_text("Por concurso público")
    expect(answered).to_contain_text("Respondida")
    browser.check_page()

    # A written answer with the instruments attached as a PDF.
    page.locator(f"#pregunta-{second.pk}").get_by_role("link", name=re.compile("Responder")).click()
    browser.check_page()
    browser.field("Respuesta escrita").fill("Usamos el inventario de intereses adjunto, validado en 2022.")
    browser.field("Documento adjunto").set_input_files(
        files=[{"name": "inventario de intereses.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    page.get_by_role("button", name="Guardar respuesta").click()
    answered = page.locator(f"#pregunta-{second.pk}")
    expect(answered).to_contain_text("Respondida")
    attachment = answered.get_by_role("link", name=re.compile("Descargar adjunto"))
    expect(attachment).to_contain_text("inventario de intereses.pdf")
    browser.check_page()
    assert browser.download(attachment) == ("inventario de intereses.pdf", PDF_BYTES)

    statuses = dict(Question.objects.filter(objective=objective).values_list("number", "status"))
    assert [statuses[number] for number in sorted(statuses)] == ["answered", "answered", "sent", "sent", "sent"]
    # Panama answers; it cannot send questions of its own in Peru's name.
    expect(page.get_by_role("link", name="Enviar preguntas")).to_have_count(0)
