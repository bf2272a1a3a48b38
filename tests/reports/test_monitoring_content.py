"""What the bimonthly monitoring report (PDF) says for a small, realistic Mar–Apr 2025."""

import datetime
import io
import json
import re
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from capacity_plan.models import (
    Attendance,
    Indicator,
    IndicatorReview,
    Measurement,
    Milestone,
    Plan,
    RecordingSlot,
    Region,
    SatisfactionResponse,
    TrainingAction,
)
from capacity_plan.periods import Bimester
from reports.monitoring import TEMPLATE_NAME, monitoring_context, monitoring_pdf, monitoring_snapshot
from tests.factories import ROLE_FACTORIES, ActionSessionFactory, ServantFactory, TrainingActionFactory, UnitFactory
from tests.reports.pdf import overflowing_cells
from tests.seed import shared_transaction

pytestmark = pytest.mark.django_db
MARCH_APRIL = Bimester(2025, 2)
TRICKY_TITLE = "<b>Taller & 'x'</b>"


def answer(action, rating, n, day, servant=None):
    SatisfactionResponse.objects.create(
        action=action,
        servant=servant,
        clarity=rating,
        usefulness=rating,
        materials=rating,
        facilitator=rating,
        applicability=rating,
        submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, n))),
        source_key=f"{action.pk}-{n}-{rating}",
    )


def mark(session, servants, status):
    Attendance.objects.bulk_create(Attendance(session=session, servant=servant, status=status) for servant in servants)


def add_period_activity(suffix=""):
    """Five actions planned in Mar–Apr 2025 (2 executed, 1 rescheduled into it from February,
    1 cancelled, 1 pending demo one), one in May and one rescheduled from April to July, with attendance in Cusco, Piura and Arequipa (Puno only absent)
    and six survey answers (four anonymous)."""
    regions = {region.name: region for region in Region.objects.filter(name__in=["Cusco", "Puno", "Piura", "Arequipa"])}
    hito4, hito8 = Milestone.objects.get(number=4), Milestone.objects.get(number=8)
    odes, dnt, dsst = UnitFactory(acronym="ODES"), UnitFactory(acronym="DNT"), UnitFactory(acronym="DSST")
    workshop = TrainingActionFactory(
        title=TRICKY_TITLE + suffix,
        milestone=hito4,
        organisational_unit=odes,
        status="ejecutada",
        planned_start=datetime.date(2025, 3, 17),
        regions=[regions["Cusco"], regions["Puno"], regions["Piura"]],
    )
    course = TrainingActionFactory(
        title="Curso de inspección laboral" + suffix,
        kind="curso",
        milestone=hito8,
        organisational_unit=dnt,
        status="ejecutada",
        modality="presencial",
        hours=Decimal("12.5"),
        planned_start=datetime.date(2025, 4, 8),
        regions=[regions["Cusco"], regions["Arequipa"]],
    )
    TrainingActionFactory(
        title="Taller de normativa reprogramado" + suffix,
        milestone=hito8,
        organisational_unit=dnt,
        status="reprogramada",
        original_start=datetime.date(2025, 2, 20),
        status_reason="Superposición",
        planned_start=datetime.date(2025, 4, 22),
        regions=[regions["Puno"]],
    )
    TrainingActionFactory(
        title="Curso de conciliación movido a julio" + suffix,
        kind="curso",
        milestone=hito8,
        organisational_unit=dnt,
        status="reprogramada",
        original_start=datetime.date(2025, 4, 25),
        status_reason="Falta de facilitador",
        planned_start=datetime.date(2025, 7, 10),
        regions=[regions["Puno"]],
    )
    TrainingActionFactory(
        title="Conferencia de seguridad y salud" + suffix,
        kind="conferencia",
        milestone=hito8,
        organisational_unit=dsst,
        status="cancelada",
        status_reason="Sin quórum",
        planned_start=datetime.date(2025, 3, 5),
    )
    TrainingActionFactory(
        title="Asistencia técnica en empleo" + suffix,
        kind="asistencia_tecnica",
        milestone=None,
        organisational_unit=odes,
        is_demo=True,
        planned_start=datetime.date(2025, 4, 28),
    )
    TrainingActionFactory(
        title="Taller de mayo" + suffix,
        milestone=hito4,
        organisational_unit=odes,
        planned_start=datetime.date(2025, 5, 6),
    )

    cusco = ServantFactory.create_batch(6, region=regions["Cusco"])
    puno = ServantFactory.create_batch(4, region=regions["Puno"])
    piura = ServantFactory.create_batch(2, region=regions["Piura"])
    arequipa = ServantFactory.create_batch(2, region=regions["Arequipa"])
    first = ActionSessionFactory(action=workshop)
    mark(first, cusco + piura[:1], "present")
    mark(first, puno, "absent")
    mark(first, piura[1:], "justified")
    second = ActionSessionFactory(action=course)
    mark(second, cusco[:3] + arequipa, "present")
    for n, rating in enumerate([4, 4, 4, 2]):
        answer(workshop, rating, n, workshop.planned_start)
    for n, servant in enumerate(arequipa):
        answer(course, 5, n, course.planned_start, servant=servant)
    return workshop


def build_march_april(seed_snapshot):
    """The seed plan, the period's activity, an attendance indicator with its justification, a
    manual measurement and a recorded slot."""
    seed_snapshot.restore()
    odes_user = ROLE_FACTORIES["odes"]()
    add_period_activity()
    attendance = Indicator.objects.create(
        milestone=Milestone.objects.get(number=4),
        order=9,
        name="Porcentaje de asistencia al taller de liderazgo",
        source=Indicator.Source.ATTENDANCE_RATE,
        target=Decimal("80"),
    )
    IndicatorReview.objects.create(
        indicator=attendance,
        year=2025,
        bimester=2,
        reason=IndicatorReview.Reason.LOW_ATTENDANCE,
        explanation="Coincidió con el cierre presupuestal.",
        corrective_action="Convocatoria con dos semanas de anticipación",
        corrective_action_due=datetime.date(2025, 5, 30),
        recorded_by=odes_user,
    )
    Measurement.objects.create(
        indicator=Indicator.objects.get(pk=1001),
        year=2025,
        bimester=2,
        value=Decimal(1),
        note="Acta de grabación",
        recorded_by=odes_user,
    )
    RecordingSlot.objects.filter(recording_date=datetime.date(2025, 4, 16)).update(recorded=True)
    return Plan.objects.get()


@pytest.fixture(scope="module")
def march_april_rows(django_db_setup, django_db_blocker, seed_snapshot):
    """The period's rows, written once for the module's tests (each test's changes are rolled back)."""
    with shared_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            plan = build_march_april(seed_snapshot)
        yield plan


@pytest.fixture
def march_april(db, march_april_rows):
    return march_april_rows


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.fixture(scope="module")
def rendered_report(march_april_rows, django_db_blocker):
    """The period's report, rendered once for the module (the tests only read it)."""
    with django_db_blocker.unblock():
        snapshot = monitoring_snapshot(plan=march_april_rows, period=MARCH_APRIL)
    pages = pdf_pages(monitoring_pdf(snapshot, version_number=3))
    return json.dumps(snapshot), pages, " ".join(pages)


@pytest.fixture
def report(march_april, rendered_report):
    stored, pages, text = rendered_report
    return json.loads(stored), list(pages), text  # a copy each: no test sees another's changes


def test_the_cover_names_the_report_the_plan_and_the_period(report):
    _snapshot, pages, _text = report
    cover = pages[0]
    for words in (
        "INFORME DE SEGUIMIENTO BIMESTRAL",
        "Plan de Fortalecimiento de Capacidades 2025",
        "Marzo–Abril 2025",
        "Oficina de Descentralización (ODES) – MTPE",
        "Versión 3",
        "Periodo del 1 de marzo de 2025 al 30 de abril de 2025",
    ):
        assert words in cover
    assert "PFC 2025 – Seguimiento Mar–Abr 2025" in pages[2]  # running title from the third page on


def test_the_executive_summary_gives_the_counts_per_status_and_the_key_figures(report):
    snapshot, _pages, text = report
    summary = section(text, "1. RESUMEN EJECUTIVO", "2. AVANCE POR COMPONENTE E HITO")
    assert (
        "En Mar–Abr 2025 se programaron 5 acciones formativas (ejecutadas: 2; reprogramadas: 1; canceladas: 1; "
        "pendientes: 1)."
    ) in summary
    # 12 present of 17 marks (absent and justified count as not present); satisfaction (4+4+4+2+5+5)/6
    assert "La asistencia fue de 70,6%, la satisfacción promedio de 4,00 sobre 5 (6 encuestas)" in summary
    assert "se alcanzó a 9 servidores públicos distintos" in summary
    assert "Participaron servidores de 3 de las 25 G/DRTPE." in summary
    assert "1 de las acciones del periodo es un dato de demostración" in summary
    assert snapshot["summary"]["actions"]["total"] == 5


def test_every_indicator_is_reported_against_its_target_with_status_margin_and_justification(report):
    snapshot, _pages, text = report
    indicators = section(text, "3. INDICADORES FRENTE A SUS METAS", "4. ACCIONES FORMATIVAS")
    assert (
        "Porcentaje de asistencia al taller de liderazgo Registro de asistencia: % de asistencia 58,33% 80% "
        "Fuera de ruta"
    ) in indicators
    assert "A 21,67% de la meta de 80%; el margen de riesgo es 8%." in indicators
    assert (
        "Justificación (Baja asistencia o convocatoria): Coincidió con el cierre presupuestal. "
        "Acción correctiva: Convocatoria con dos semanas de anticipación (plazo: 30 de mayo de 2025)"
    ) in indicators
    # a manual indicator with a target and no justification, and one without a target
    assert "Nota: Acta de grabación" in indicators
    assert "Sin justificación ni acción correctiva registradas para el periodo." in indicators
    assert "Sin meta" in indicators
    reported = [
        indicator["id"]
        for component in snapshot["components"]
        for milestone in component["milestones"]
        for indicator in milestone["indicators"]
    ]
    assert sorted(reported) == sorted(Indicator.objects.values_list("pk", flat=True))
    by_status = {row["code"]: row["count"] for row in snapshot["summary"]["indicators_by_status"]}
    assert by_status["off_track"] == 2 and sum(by_status.values()) == 36


def test_trend_charts_have_one_point_per_bimester_up_to_the_period(report):
    snapshot, _pages, _text = report
    indicator = next(
        indicator
        for component in snapshot["components"]
        for milestone in component["milestones"]
        for indicator in milestone["indicators"]
        if indicator["name"].endswith("taller de liderazgo")
    )
    assert [point["label"] for point in indicator["trend"]] == ["Ene–Feb", "Mar–Abr"]
    assert [point["value"] for point in indicator["trend"]] == [None, "58.33"]


def test_actions_by_unit_and_region_and_regions_without_participation(report):
    snapshot, _pages, text = report
    by_unit = {
        row["label"]: (row["total"], row["executed"], row["rescheduled"], row["cancelled"], row["pending"])
        for row in snapshot["actions"]["by_unit"]
    }
    assert by_unit == {"DNT": (2, 1, 1, 0, 0), "DSST": (1, 0, 0, 1, 0), "ODES": (2, 1, 0, 0, 1)}
    by_region = {row["label"]: row["total"] for row in snapshot["actions"]["by_region"]}
    assert (by_region["Cusco"], by_region["Puno"], by_region["Arequipa"], by_region["Amazonas"]) == (2, 2, 1, 0)
    actions = section(text, "4.2. Por unidad orgánica", "4.3. Por región destinataria")
    assert "DNT – Dirección de Normativa de Trabajo 2 1 1 0 0 50%" in actions

    without = section(text, "Regiones sin participación en el periodo", "2. AVANCE POR COMPONENTE E HITO")
    assert "Puno" in without  # its servants were all absent
    assert "Cusco" not in without and "Arequipa" not in without
    assert len(snapshot["summary"]["regions_without_participation"]) == 22


def test_attendance_and_satisfaction_by_kind_of_action(report):
    _snapshot, _pages, text = report
    by_kind = section(text, "5.1. Por tipo de acción formativa", "5.2. Satisfacción por aspecto")
    assert "Taller 12 7 58,3% 7 4 3,5" in by_kind
    assert "Curso 5 5 100% 5 2 5" in by_kind
    assert "Total 17 12 70,6% 9 6 4" in by_kind


def test_the_recording_schedule_counts_what_was_due_by_the_end_of_the_period(report):
    snapshot, _pages, text = report
    assert snapshot["recordings"]["until_period_end"] == {
        "slots": 3,
        "recorded": 1,
        "themes": 6,
        "themes_recorded": 1,
        "rate": "33.33",
    }
    assert snapshot["recordings"]["overall"]["slots"] == 9
    recordings = section(text, "6. CRONOGRAMA DE GRABACIONES", "7. NOTAS METODOLÓGICAS")
    assert "Hasta el 30 de abril de 2025 3 1 33,3% 6 1" in recordings
    assert "16 de abril de 2025 (en el periodo) DNT – Dirección de Normativa de Trabajo 1 Grabada" in recordings


def test_the_annex_lists_the_period_actions_with_spanish_dates_and_demo_flag(report):
    _snapshot, _pages, text = report
    annex = text[text.index("ANEXO: ACCIONES FORMATIVAS DEL PERIODO") :]
    assert f"17 de marzo de 2025 {TRICKY_TITLE} Taller ODES H4 Ejecutada Virtual 4" in annex
    assert "8 de abril de 2025 Curso de inspección laboral Curso DNT H8 Ejecutada Presencial 12,5" in annex
    assert (
        "Taller de normativa reprogramado Taller DNT H8 Reprogramada, antes 20 de febrero de 2025 (Superposición)"
        in annex
    )
    assert "Asistencia técnica en empleo (demo)" in annex
    assert "Taller de mayo" not in annex
    # The UO column keeps the acronyms; their full names follow the table (DSST has none in the seed).
    assert "UO: DNT – Dirección de Normativa de Trabajo; ODES – Oficina de Descentralización." in annex


def test_no_table_cell_draws_its_text_over_the_next_one(march_april):
    """Header cells such as «Servidores en el periodo» or «Fuera de ruta» used to run into their
    neighbours; every word now fits its column."""
    with translation.override("es"):
        html = render_to_string(
            TEMPLATE_NAME, monitoring_context(monitoring_snapshot(plan=march_april, period=MARCH_APRIL))
        )
    assert overflowing_cells(html) == []


def test_user_text_is_escaped_in_the_html_not_interpreted(march_april):
    snapshot = monitoring_snapshot(plan=march_april, period=MARCH_APRIL)
    html = render_to_string(TEMPLATE_NAME, monitoring_context(snapshot))
    assert "&lt;b&gt;Taller &amp; &#x27;x&#x27;&lt;/b&gt;" in html
    assert TRICKY_TITLE not in html
    assert "<script" not in html


def test_the_snapshot_is_plain_json_and_draws_the_same_report_after_a_round_trip(march_april):
    snapshot = monitoring_snapshot(plan=march_april, period=MARCH_APRIL)
    stored = json.loads(json.dumps(snapshot))
    assert stored == snapshot
    assert set(snapshot) >= {
        "period",
        "plan",
        "summary",
        "components",
        "actions",
        "participation",
        "recordings",
        "annex",
    }
    assert snapshot["period"] == {
        "code": "2025-2",
        "label": "Mar–Abr 2025",
        "start": "2025-03-01",
        "end": "2025-04-30",
        "year": 2025,
        "number": 2,
    }
    assert snapshot["plan"]["year"] == 2025 and snapshot["plan"]["id"] == march_april.pk
    context = monitoring_context(stored)
    assert context["period"]["start_text"] == "1 de marzo de 2025"
    assert context["charts"]["status_by_unit"].startswith("<svg")


def test_the_report_renders_without_a_version_as_the_command_line_does(march_april):
    snapshot = monitoring_snapshot(plan=march_april, period=MARCH_APRIL)
    pages = pdf_pages(monitoring_pdf(snapshot, generated_at=datetime.date(2025, 5, 5)))
    assert "Versión" not in pages[0]
    # The cover names the period, not the day it was generated: that is in the notes.
    assert "Generado" not in pages[0]
    assert "Informe generado el 5 de mayo de 2025" in " ".join(pages)


def test_a_period_without_activity_still_makes_a_complete_report(march_april):
    snapshot = monitoring_snapshot(plan=march_april, period=Bimester(2025, 6))
    text = " ".join(pdf_pages(monitoring_pdf(snapshot)))
    assert "Nov–Dic 2025" in text
    assert "En Nov–Dic 2025 se programaron 0 acciones formativas" in text
    assert "No hay acciones formativas con inicio programado en el periodo." in text
    assert snapshot["summary"]["regions_without_participation"] == [
        row["label"] for row in snapshot["participation"]["by_region"]
    ]
    assert len(snapshot["components"][0]["milestones"][0]["indicators"][0]["trend"]) == 6


def test_the_snapshot_takes_the_same_number_of_queries_for_three_times_the_data(march_april):
    with CaptureQueriesContext(connection) as small:
        first = monitoring_snapshot(plan=march_april, period=MARCH_APRIL)
    add_period_activity(" (2)")
    add_period_activity(" (3)")
    with CaptureQueriesContext(connection) as large:
        second = monitoring_snapshot(plan=march_april, period=MARCH_APRIL)
    assert second["summary"]["actions"]["total"] == 3 * first["summary"]["actions"]["total"]
    assert len(large) == len(small)


def test_the_plan_page_shows_the_period_charts(march_april, client_for):
    response = client_for("manager").get(reverse("capacity_plan:home") + "?periodo=2025-2")
    body = response.content.decode()
    assert body.count("<svg") >= 3  # reach, actions by status, attendance and satisfaction
    assert re.search(r'data-testid="period-programmed">5<', body)


def test_a_busy_period_renders_with_all_1200_actions_in_the_annex(march_april):
    """Its rendering time is measured by `make bench` (monitoring report of the busiest period),
    not here: a timed test fails on a busy machine for reasons that are not the code's."""
    hito = Milestone.objects.get(number=8)
    unit = UnitFactory(acronym="DNT")
    statuses = ["ejecutada", "ejecutada", "reprogramada", "cancelada", "programada"]
    TrainingAction.objects.bulk_create(
        TrainingAction(
            kind="curso",
            title=f"Curso regional de inspección laboral número {n}",
            milestone=hito,
            organisational_unit=unit,
            status=statuses[n % 5],
            hours=Decimal(4),
            planned_start=datetime.date(2025, 3, 1) + datetime.timedelta(days=n % 61),
            original_start=datetime.date(2025, 1, 15) if n % 5 == 2 else None,
            status_reason="Superposición" if n % 5 in (2, 3) else "",
        )
        for n in range(1200)
    )
    pdf = monitoring_pdf(monitoring_snapshot(plan=march_april, period=MARCH_APRIL))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 40  # the annex lists every action
    annex = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Curso regional de inspección laboral número" in annex
    assert all(f"número {n} " in annex + " " for n in (0, 599, 1199))
