"""The cooperation summary PDF reads like the seed documents (text extracted with pypdf)."""

import io
import json

import pytest
from django.core import management
from django.test import override_settings
from pypdf import PdfReader

from cooperations.models import Cooperation, Participation, Question, Session
from reports.summary import summary_changes, summary_context, summary_pdf, summary_snapshot
from tests.factories import ParticipationFactory, SessionFactory, aware
from tests.reports.pdf import normalise, page_fill, pdf_pages, pdf_text

SEED_000 = 1  # Perú – Paraguay: habilidades digitales (fixture pk)


@pytest.fixture
def seeded(db):
    management.call_command("load_seed_data", verbosity=0)


def _seed_000():
    return Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ).get(pk=SEED_000)


def test_the_seed_000_summary_has_every_session_in_both_zones_every_paraguayan_and_all_of_annex_1(seeded):
    cooperation = _seed_000()
    pdf = summary_pdf(
        summary_snapshot(cooperation), number=3, label="abierta a comentarios", generated_at=aware(2024, 7, 21, 10)
    )
    text = pdf_text(pdf)

    assert "COOPERACIÓN BILATERAL RIAL/OEA ENTRE LOS MINISTERIOS DE TRABAJO DE PERÚ Y PARAGUAY" in text
    assert "Modalidad: Virtual" in text
    # The three sessions, each in Lima's and Asunción's own time (Paraguay changed offset
    # between them: UTC-4 in May and August 2022, UTC-3 in February 2023).
    assert "Perú: Martes, 17 de mayo de 2022, 09:00–12:00" in text
    assert "Paraguay: Martes, 17 de mayo de 2022, 10:00–13:00" in text
    assert "Perú: Miércoles, 10 de agosto de 2022, 09:00–12:00" in text
    assert "Paraguay: Miércoles, 10 de agosto de 2022, 10:00–13:00" in text
    assert "Perú: Martes, 28 de febrero de 2023, 09:00–11:00" in text
    assert "Paraguay: Martes, 28 de febrero de 2023, 11:00–13:00" in text

    paraguayans = Participation.objects.filter(cooperation=cooperation, delegation__iso_code="PY")
    assert paraguayans.count() >= 5
    for participation in paraguayans.select_related("person"):
        assert participation.person.full_name in text

    questions = Question.objects.filter(cooperation=cooperation)
    assert questions.count() == 16 + 9 + 18  # Annex 1, by objective
    assert "ANEXO 1: PREGUNTAS POR OBJETIVO ESPECÍFICO" in text
    body = pdf_text(pdf, running=(cooperation.short_name, "Versión 3: 21 de julio de 2024 – abierta a comentarios"))
    for question in questions:
        assert normalise(question.text) in body, question.number

    # Header with the short name, page numbers, the version line.
    assert "Perú – Paraguay: habilidades digitales" in text
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert f"Página 1 de {pdf_pages(pdf)}" in first_page
    assert "(Versión 3: 21 de julio de 2024 – abierta a comentarios)" in text


def test_recording_access_codes_never_reach_a_summary(seeded):
    codes = list(Session.objects.exclude(recording_access_code="").values_list("recording_access_code", flat=True))
    assert codes, "the seeds have access codes"
    for cooperation in Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ):
        snapshot = summary_snapshot(cooperation)
        assert "recording_access_code" not in json.dumps(snapshot)
        text = pdf_text(summary_pdf(snapshot))
        for code in codes:
            assert code not in text


def test_a_draft_without_version_carries_the_records_own_version_line(seeded):
    text = pdf_text(summary_pdf(summary_snapshot(_seed_000())))
    assert "(Versión Final: 28 de febrero)" in text


def test_the_final_version_line_says_final(seeded):
    text = pdf_text(summary_pdf(summary_snapshot(_seed_000()), number=4, is_final=True))
    assert "Versión final (n.º 4):" in text


def test_free_text_is_printed_literally_not_interpreted(world):
    world.cooperation.description = '<b>negrita</b> & <img src="http://127.0.0.1:1/x.png"> fin'
    world.cooperation.save()
    cooperation = Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ).get(pk=world.cooperation.pk)
    text = pdf_text(summary_pdf(summary_snapshot(cooperation)))
    assert '<b>negrita</b> & <img src="http://127.0.0.1:1/x.png"> fin' in text


def test_an_undecided_session_shows_its_tentative_date(world):
    SessionFactory(
        cooperation=world.cooperation,
        order=2,
        title="Segunda sesión",
        date=None,
        starts_at=None,
        ends_at=None,
        date_label="Segunda quincena de agosto (por definir)",
    )
    cooperation = Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ).get(pk=world.cooperation.pk)
    text = pdf_text(summary_pdf(summary_snapshot(cooperation)))
    assert "Segunda sesión: Segunda quincena de agosto (por definir)" in text


def test_the_snapshot_is_plain_json(world):
    snapshot = summary_snapshot(world.cooperation)
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_changes_between_two_snapshots_name_what_was_added_changed_and_removed(world):
    participant = ParticipationFactory(
        cooperation=world.cooperation, institution=world.peru, delegation=world.peru.country
    )
    before = summary_snapshot(world.cooperation)

    SessionFactory(
        cooperation=world.cooperation,
        order=2,
        title="Sesión de cierre",
        starts_at=aware(2025, 3, 4, 9),
        ends_at=aware(2025, 3, 4, 12),
    )
    world.step.text = "Enviar el plan de trabajo revisado"
    world.step.done = True
    world.step.save()
    participant.delete()
    after = summary_snapshot(world.cooperation)

    changes = {section["title"]: section for section in summary_changes(before, after)}
    assert changes["Sesiones"]["added"] == ["Sesión de cierre"]
    [step] = changes["Pasos y plazos"]["changed"]
    assert step["label"] == "Enviar el plan de trabajo revisado"
    assert step["fields"] == ["texto", "cumplido"]
    assert changes["Participantes"]["removed"] == [participant.person.full_name]
    assert "Preguntas" not in changes


def test_the_largest_seed_summary_runs_in_few_pages_and_queries(seeded, django_assert_max_num_queries):
    cooperation = _seed_000()
    with django_assert_max_num_queries(
        10
    ):  # the record's 8, the resolved comments, the steps' responsible institutions
        snapshot = summary_snapshot(cooperation)
    assert 5 <= pdf_pages(summary_pdf(snapshot)) <= 20


def _world_cooperation(world):
    return Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ).get(pk=world.cooperation.pk)


def test_the_version_line_carries_the_year(world):
    snapshot = summary_snapshot(_world_cooperation(world))

    text = pdf_text(summary_pdf(snapshot, number=2, generated_at=aware(2025, 12, 31, 20)))
    final = pdf_text(summary_pdf(snapshot, number=4, is_final=True, generated_at=aware(2023, 2, 28, 9)))

    assert "(Versión 2: 31 de diciembre de 2025)" in text
    assert "(Versión final (n.º 4): 28 de febrero de 2023)" in final


def test_the_first_page_is_headed_by_the_rial_and_oea_logos(world):
    pdf = summary_pdf(summary_snapshot(_world_cooperation(world)), number=1)
    reader = PdfReader(io.BytesIO(pdf))

    first_page = normalise(reader.pages[0].extract_text())

    # The placeholder logos (static/img/logo-rial.svg, logo-oea.svg) are drawn, text included.
    assert "Red Interamericana para la Administración Laboral" in first_page
    assert "Organización de los Estados Americanos" in first_page
    assert "Estados Americanos" not in normalise(reader.pages[1].extract_text())  # the first page only


@override_settings(SUMMARY_LOGOS={"RIAL": "img/no-existe.svg"})
def test_a_configured_logo_missing_from_static_is_left_out(world):
    snapshot = summary_snapshot(_world_cooperation(world))

    assert summary_context(snapshot)["logos"] == []
    assert "Red Interamericana" not in pdf_text(summary_pdf(snapshot, number=1))


def test_a_short_description_then_a_long_session_does_not_leave_the_first_page_half_empty(world):
    world.cooperation.description = "Una cooperación breve."
    world.cooperation.save()
    world.session.summary = "\n".join(f"Acuerdo {n}: se revisó el avance del plan de trabajo." for n in range(70))
    world.session.save()

    pdf = summary_pdf(summary_snapshot(_world_cooperation(world)), number=1)

    assert pdf_pages(pdf) >= 2
    assert page_fill(pdf, 0) > 0.8
