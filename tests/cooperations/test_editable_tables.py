"""The editable tables (participants, steps, objectives, methodology) grow in place: «Añadir fila»
adds rows without saving (in the browser, a static script does it; without JavaScript, the
server sends the page back as typed with blank rows more), a whole delegation is entered in one
sitting, and nobody is told to save to get more empty rows (issue 13, item 11). The browser side
(add, remove, paste from a spreadsheet) is the journey in tests/e2e/test_editable_tables.py."""

import re

import pytest
from django.urls import reverse

from cooperations.models import Cooperation, Institution, Participation, Person, SpecificObjective, Step
from tests.cooperations.test_editing import header_post, management
from tests.factories import CooperationFactory
from tests.forms import page_form_data

pytestmark = pytest.mark.django_db

ECUADOR_MEXICO = "Ecuador – México: servicios públicos de empleo"


def _total(page: str, prefix: str) -> int:
    match = re.search(rf'name="{prefix}-TOTAL_FORMS" value="(\d+)"', page)
    assert match is not None
    return int(match.group(1))


def test_the_tables_offer_a_row_to_add_and_never_ask_to_save_for_more(world, client_for):
    client = client_for(world.users["oea"])
    for url in (
        reverse("cooperations:participants", args=[world.cooperation.pk]),
        reverse("cooperations:steps", args=[world.cooperation.pk]),
        reverse("cooperations:edit", args=[world.cooperation.pk]),
        reverse("cooperations:create"),
    ):
        page = client.get(url).content.decode()
        assert "Guarde para ver más filas vacías" not in page
        assert "Añadir fila" in page
        # The empty row the script copies, and the script itself (no inline script).
        assert "<template data-formset-empty>" in page and "__prefix__" in page
        assert "js/formset-table.js" in page and "<script>" not in page


def test_without_javascript_add_row_brings_the_table_back_as_typed_with_blank_rows_and_saves_nothing(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:participants", args=[world.cooperation.pk])
    typed = {
        "expected_revision": world.cooperation.revision,
        **management("parts", 1, 0),
        "parts-0-order": "1",
        "parts-0-full_name": "Kelva Morales",
        "parts-0-position": "",  # not finished: no error is shown for it yet
        "parts-0-institution": world.peru.pk,
        "parts-0-delegation": "",
        "parts-0-note": "",
        "add_rows": "parts",
    }

    response = client.post(url, typed)

    assert response.status_code == 200
    page = response.content.decode()
    assert _total(page, "parts") == 4
    assert 'value="Kelva Morales"' in page
    assert "is-invalid" not in page and "obligatorio" not in page
    assert not Participation.objects.filter(cooperation=world.cooperation).exists()

    # The page sent back as it came (the blank rows untouched) saves the typed row only.
    saved = dict(typed)
    del saved["add_rows"]
    saved.update(management("parts", 4, 0))
    for index in range(1, 4):
        saved.update(
            {
                f"parts-{index}-order": "0",
                f"parts-{index}-full_name": "",
                f"parts-{index}-position": "",
                f"parts-{index}-institution": "",
                f"parts-{index}-delegation": "",
                f"parts-{index}-note": "",
                f"parts-{index}-cooperation": world.cooperation.pk,
            }
        )
    assert client.post(url, saved).status_code == 302
    assert list(
        Participation.objects.filter(cooperation=world.cooperation).values_list("person__full_name", flat=True)
    ) == ["Kelva Morales"]


def test_blank_step_rows_added_without_javascript_are_skipped_on_saving(world, client_for):
    """A step row's responsible institutions are a list of checkboxes: a blank row the server adds
    carries none ticked, so the page sent back as the browser shows it saves the typed rows only."""
    client = client_for(world.users["oea"])
    url = reverse("cooperations:steps", args=[world.cooperation.pk])
    data = page_form_data(client.get(url).content.decode())
    data["parts-0-text"] = ["El MTPE enviará el documento revisado"]

    more = client.post(url, {**data, "add_rows": "parts"})
    assert more.status_code == 200
    shown = page_form_data(more.content.decode())
    assert shown["parts-TOTAL_FORMS"] == ["6"]  # the step, the two blank rows of the page, three more
    assert shown["parts-0-text"] == ["El MTPE enviará el documento revisado"]

    response = client.post(url, shown)

    assert response.status_code == 302
    assert list(Step.objects.filter(cooperation=world.cooperation).values_list("text", flat=True)) == [
        "El MTPE enviará el documento revisado"
    ]


def test_add_row_on_the_cooperation_form_keeps_the_header_as_typed(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:edit", args=[world.cooperation.pk])
    data = header_post(world, title="Título que estoy escribiendo", short_name="")

    response = client.post(url, {**data, "add_rows": "objectives"})

    page = response.content.decode()
    assert response.status_code == 200
    assert _total(page, "objectives") == 4 and _total(page, "methodology") == 0
    assert 'value="Título que estoy escribiendo"' in page
    assert "obligatorio" not in page  # the short name is still empty: no error before saving
    world.cooperation.refresh_from_db()
    assert world.cooperation.title != "Título que estoy escribiendo"
    assert SpecificObjective.objects.filter(cooperation=world.cooperation).count() == 1


def test_the_43_participants_of_ecuador_mexico_are_entered_in_one_sitting(seed, client_for):
    """The seed's Ecuador–México table, typed into a new cooperation's participants page and
    saved once: every row is kept, in order, each in its institution's delegation."""
    seeded = Cooperation.objects.get(short_name=ECUADOR_MEXICO)
    rows = list(seeded.participations.select_related("person", "institution").order_by("order"))
    assert len(rows) == 43
    fresh = CooperationFactory(
        short_name="Ecuador – México (copia)",
        requesting_institution=seeded.requesting_institution,
        providing_institution=seeded.providing_institution,
    )
    client = client_for("oea")
    url = reverse("cooperations:participants", args=[fresh.pk])
    data = {"expected_revision": fresh.revision, **management("parts", len(rows), 0)}
    for index, row in enumerate(rows):
        data.update(
            {
                f"parts-{index}-order": row.order,
                f"parts-{index}-full_name": row.person.full_name,
                f"parts-{index}-position": row.position,
                f"parts-{index}-institution": row.institution_id,
                f"parts-{index}-delegation": "",  # left at «Según la institución»
                f"parts-{index}-note": row.note,
            }
        )

    response = client.post(url, data)

    assert response.status_code == 302
    entered = list(fresh.participations.select_related("person", "institution").order_by("order"))
    assert [(p.person.full_name, p.position, p.institution_id, p.delegation_id) for p in entered] == [
        (p.person.full_name, p.position, p.institution_id, p.delegation_id) for p in rows
    ]
    # The people were known already: nobody was created twice.
    assert Person.objects.filter(full_name=rows[0].person.full_name).count() == 1
    assert Institution.objects.filter(pk__in={p.institution_id for p in entered}).count() >= 3
