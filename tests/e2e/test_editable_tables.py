"""OEA staff fill the editable tables in place: the 43 Ecuador–México participants pasted from a
spreadsheet in one sitting, rows added and removed without saving, a step with two responsible
institutions and a deadline pasted as one line (issue 13, item 11)."""

import datetime

from playwright.sync_api import expect

from cooperations.models import Cooperation, Step
from tests.e2e.conftest import JOURNEY
from tests.factories import CooperationFactory

pytestmark = JOURNEY

ECUADOR_MEXICO = "Ecuador – México: servicios públicos de empleo"

PASTE = """(el, text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
}"""


def _spreadsheet_line(*cells: str) -> str:
    return "\t".join(cells)


def test_staff_paste_43_participants_add_and_remove_rows_and_save_once(seed, browser, make_user):
    make_user("oea", username="tablas.oea")
    seeded = Cooperation.objects.get(short_name=ECUADOR_MEXICO)
    rows = list(seeded.participations.select_related("person", "institution").order_by("order"))
    fresh = CooperationFactory(
        short_name="Ecuador – México (nueva)",
        requesting_institution=seeded.requesting_institution,
        providing_institution=seeded.providing_institution,
    )
    # As a spreadsheet copies them: name, position, institution (acronym or name), delegation
    # (left empty: it follows the institution), note; one line per person, and one line too many.
    lines = [
        _spreadsheet_line(
            row.person.full_name, row.position, row.institution.acronym or row.institution.name, "", row.note
        )
        for row in rows
    ]
    lines.append(_spreadsheet_line("Fila pegada por error", "", "MT", "", ""))
    page = browser.page
    browser.sign_in("tablas.oea")
    browser.goto(f"/cooperaciones/{fresh.pk}/participantes/")
    expect(page.get_by_text("Guarde para ver más filas vacías")).to_have_count(0)

    table = page.locator("[data-formset-table]")
    body_rows = table.locator("tbody tr[data-formset-row]")
    browser.field("Nombre", within=body_rows.first).evaluate(PASTE, "\r\n".join(lines) + "\r\n")

    expect(body_rows).to_have_count(44)
    expect(page.get_by_role("status")).to_contain_text("Se pegaron 44 filas.")
    expect(browser.field("Nombre", within=body_rows.nth(0))).to_have_value(rows[0].person.full_name)
    expect(browser.field("Institución", within=body_rows.nth(42))).to_have_value(str(rows[42].institution_id))
    expect(browser.field("Institución", within=body_rows.nth(24))).to_have_value(
        str(rows[24].institution_id)
    )  # the Mission
    # Each pasted row takes the next number.
    expect(browser.field("Orden", within=body_rows.nth(42))).to_have_value("43")
    browser.check_page()

    # The line pasted by mistake is removed in place; so is a row added and then not wanted.
    body_rows.nth(43).get_by_role("button", name="Quitar").click()
    expect(body_rows).to_have_count(43)
    page.get_by_role("button", name="Añadir fila").click()
    expect(body_rows).to_have_count(44)
    expect(browser.field("Orden", within=body_rows.nth(43))).to_be_focused()
    browser.field("Nombre", within=body_rows.nth(43)).fill("Persona añadida")
    expect(browser.field("Orden", within=body_rows.nth(43))).to_have_value("44")
    body_rows.nth(43).get_by_role("button", name="Quitar").click()
    expect(body_rows).to_have_count(43)
    browser.check_page()

    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardaron los cambios.")).to_be_visible()
    browser.check_page()
    entered = list(fresh.participations.select_related("person").order_by("order"))
    assert [(p.order, p.person.full_name, p.institution_id, p.delegation_id) for p in entered] == [
        (number, p.person.full_name, p.institution_id, p.delegation_id) for number, p in enumerate(rows, start=1)
    ]

    # A stored row is removed in place too (and brought back with «Deshacer» before saving).
    browser.goto(f"/cooperaciones/{fresh.pk}/participantes/")
    last = body_rows.filter(has=page.locator(f'input[value="{rows[42].person.full_name}"]'))
    last.get_by_role("button", name="Quitar").click()
    expect(last.get_by_role("button", name="Deshacer")).to_be_visible()
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardaron los cambios.")).to_be_visible()
    assert fresh.participations.count() == 42


def test_staff_paste_a_step_with_two_responsible_institutions_and_its_deadline(seed, browser, make_user):
    make_user("oea", username="pasos.oea")
    seeded = Cooperation.objects.get(short_name=ECUADOR_MEXICO)
    page = browser.page
    browser.sign_in("pasos.oea")
    browser.goto(f"/cooperaciones/{seeded.pk}/pasos/")
    steps_before = seeded.steps.count()

    blank = page.locator("tbody tr[data-formset-new]").first
    # Order, after which session (empty: before the first), the step, who, by when.
    line = _spreadsheet_line("9", "", "El MT y la STPS compartirán la ruta de atención", "MT y STPS", "25/06/2024")
    browser.field("Orden", within=blank).evaluate(PASTE, line)
    expect(browser.field("Paso", within=blank)).to_have_value("El MT y la STPS compartirán la ruta de atención")
    expect(browser.field("A más tardar el", within=blank)).to_have_value("2024-06-25")
    expect(blank.get_by_label("Ministerio de Trabajo (MT)")).to_be_checked()
    expect(blank.get_by_label("Secretaría del Trabajo y Previsión Social (STPS)")).to_be_checked()
    browser.check_page()

    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardaron los cambios.")).to_be_visible()
    browser.check_page()
    assert seeded.steps.count() == steps_before + 1
    step = Step.objects.get(cooperation=seeded, text="El MT y la STPS compartirán la ruta de atención")
    assert sorted(step.responsible_names) == ["MT", "STPS"]
    assert step.due_date == datetime.date(2024, 6, 25)
