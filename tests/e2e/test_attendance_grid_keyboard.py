"""The attendance grid is quick to fill (issue 13, item 12): «Marcar a todos como presentes» and
the keyboard (↑/↓ between rows, ←/→ between marks, Enter marks and moves on), in Chromium."""

from playwright.sync_api import expect

from capacity_plan.models import Attendance, Region
from tests.e2e.conftest import JOURNEY
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory

pytestmark = JOURNEY


def test_the_grid_is_filled_from_the_keyboard_and_with_mark_all_present(seed, browser, make_user):
    make_user("odes", username="odes.grid")
    cusco = Region.objects.get(name="Cusco")
    action = TrainingActionFactory(regions=[cusco], title="Taller de registro rápido")
    session = ActionSessionFactory(action=action)
    servants = [ServantFactory(region=cusco, full_name=f"Participante {n:02d}") for n in range(1, 6)]
    # Someone already marked the fifth one as excused: «mark all» leaves that mark alone.
    Attendance.objects.create(session=session, servant=servants[4], status="justified")
    page = browser.page
    browser.sign_in("odes.grid")
    browser.goto(f"/pfc/sesiones/{session.pk}/asistencia/")
    grid = page.get_by_test_id("attendance-grid")

    def mark(status, n):
        return grid.get_by_label(f"{status}: Participante {n:02d}", exact=True)

    # Enter ticks «Presente» for the first and moves down; → makes the second «Ausente»;
    # ↓ moves to the third row without marking it.
    mark("Presente", 1).focus()
    page.keyboard.press("Enter")
    expect(mark("Presente", 1)).to_be_checked()
    expect(mark("Presente", 2)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(mark("Ausente", 2)).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(mark("Ausente", 3)).to_be_focused()
    expect(mark("Ausente", 3)).not_to_be_checked()
    assert not Attendance.objects.filter(session=session, servant=servants[0]).exists()  # Enter sent nothing

    page.get_by_role("button", name="Marcar a todos como presentes").click()
    expect(page.get_by_role("status")).to_contain_text("Se marcaron 2 filas como presentes")
    for n in (1, 3, 4):
        expect(mark("Presente", n)).to_be_checked()
    expect(mark("Ausente", 2)).to_be_checked()
    expect(mark("Justificado", 5)).to_be_checked()
    browser.check_page()

    # Enter on the last row goes to «Guardar asistencia»; Enter there saves.
    mark("Justificado", 4).focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Guardar asistencia")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").filter(has_text="Se guardó la asistencia")).to_be_visible()
    saved = dict(Attendance.objects.filter(session=session).values_list("servant__full_name", "status"))
    assert saved == {
        "Participante 01": "present",
        "Participante 02": "absent",
        "Participante 03": "present",
        "Participante 04": "present",
        "Participante 05": "justified",
    }
