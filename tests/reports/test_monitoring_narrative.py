"""The narrative ODES writes for a period (executive summary, analysis, recommendations, signer),
stored with its history, frozen into each generated version and printed beside the figures; and
the report's cover, logos, signature block, file name and compact table of indicators without data."""

import io
import uuid

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from capacity_plan.models import Indicator, Milestone, Plan
from capacity_plan.periods import Bimester
from reports import services
from reports.models import MonitoringNarrative, ReportJob, ReportVersion
from reports.monitoring import monitoring_pdf, monitoring_snapshot
from tests.reports.pdf import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
NOV_DEC = Bimester(2025, 6)
RUNNING = ("PFC 2025 – Seguimiento Nov–Dic 2025", "Versión 1", "Versión 2")
SUMMARY = "La CdP piloto arrancó con 9 especialistas de 6 G/DRTPE; la asistencia se sostuvo."
ANALYSIS = "Los indicadores de Hito 7 siguen sin datos porque el comité evaluador no se instaló."
ADVICE = "Instalar el comité evaluador antes del 15 de enero y registrar sus actas."


def narrative_url(period=NOV_DEC):
    return reverse("reports:monitoring_narrative", args=[period.year, period.number])


def form_data(**fields):
    data = {
        "executive_summary": "",
        "analysis": "",
        "recommendations": "",
        "signer_name": "",
        "signer_role": "",
        "expected_revision": "",
        "request_key": str(uuid.uuid4()),
    }
    data.update({name: str(value) for name, value in fields.items()})
    return data


def generate(plan, user) -> ReportVersion:
    job, _created = services.monitoring_request(plan=plan, period=NOV_DEC, by=user, request_key=uuid.uuid4())
    return ReportVersion.objects.get(pk=services.job_run(job_id=job.pk))


def test_odes_writes_the_narrative_and_each_version_prints_the_one_it_was_generated_with(seed, make_user):
    plan, odes = Plan.objects.get(), make_user("odes")
    services.monitoring_narrative_save(
        plan=plan,
        period=NOV_DEC,
        fields={"executive_summary": SUMMARY, "analysis": ANALYSIS, "recommendations": ADVICE},
        expected_revision=None,
        by=odes,
    )
    first = generate(plan, odes)
    services.monitoring_narrative_save(
        plan=plan,
        period=NOV_DEC,
        fields={"recommendations": "Instalar el comité evaluador en la primera semana de enero."},
        expected_revision=1,
        by=odes,
    )
    second = generate(plan, odes)

    text = pdf_text(first.file.read(), running=RUNNING)
    summary = text[text.index("1. RESUMEN EJECUTIVO") : text.index("2. AVANCE POR COMPONENTE E HITO")]
    # The ODES synthesis, then the computed figures, then the analysis and recommendations.
    assert summary.index("Síntesis de la ODES " + SUMMARY) < summary.index("El periodo en cifras En Nov–Dic 2025")
    assert "Análisis de la ODES " + ANALYSIS in summary
    assert "Recomendaciones " + ADVICE in summary
    assert "revisión 1" in text
    assert first.snapshot["narrative"]["recommendations"] == ADVICE
    later = pdf_text(second.file.read(), running=RUNNING)
    assert "Instalar el comité evaluador en la primera semana de enero." in later and ADVICE not in later
    assert "revisión 2" in later
    assert (first.file_name, second.file_name) == (
        "seguimiento-pfc-2025-nov-dic-v1.pdf",
        "seguimiento-pfc-2025-nov-dic-v2.pdf",
    )
    assert MonitoringNarrative.objects.get().history.count() == 2


def test_the_narrative_page_keeps_its_history_and_managers_only_read_it(seed, client_for):
    odes, manager = client_for("odes"), client_for("manager")
    response = odes.post(narrative_url(), form_data(executive_summary=SUMMARY, save=""))
    assert response.status_code == 302
    response = odes.post(narrative_url(), form_data(executive_summary=SUMMARY, analysis=ANALYSIS, expected_revision=1))
    assert response.status_code == 302
    page = odes.get(narrative_url()).content.decode()
    assert 'data-testid="narrative-history"' in page and "Revisión 2" in page
    assert MonitoringNarrative.objects.get().history.count() == 2

    read = manager.get(narrative_url()).content.decode()
    assert ANALYSIS in read and 'data-testid="narrative-form"' not in read
    assert manager.post(narrative_url(), form_data(analysis="Otro")).status_code == 403
    assert MonitoringNarrative.objects.get().analysis == ANALYSIS
    listing = manager.get(reverse("reports:monitoring")).content.decode()
    assert narrative_url() in listing and "Revisión 2" in listing


def test_a_page_opened_before_another_save_merges_other_texts_and_refuses_the_same_one(seed, client_for):
    first, second = client_for("odes"), client_for("odes", first_name="Rosa", last_name="Quispe")
    first.post(narrative_url(), form_data(executive_summary=SUMMARY))
    # Both open revision 1; Rosa saves the analysis.
    assert second.post(narrative_url(), form_data(executive_summary=SUMMARY, analysis=ANALYSIS, expected_revision=1))
    # The first writes the recommendations from revision 1: merged, Rosa's analysis kept.
    response = first.post(
        narrative_url(), form_data(executive_summary=SUMMARY, recommendations=ADVICE, expected_revision=1), follow=True
    )
    narrative = MonitoringNarrative.objects.get()
    assert (narrative.analysis, narrative.recommendations, narrative.revision) == (ANALYSIS, ADVICE, 3)
    assert "Rosa Quispe guardó cambios en: Análisis" in response.content.decode()
    # A page still at revision 1 that changes the analysis too is refused, with both texts shown.
    response = first.post(
        narrative_url(), form_data(executive_summary=SUMMARY, analysis="Mi análisis distinto.", expected_revision=1)
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert 'data-testid="conflict-fields"' in body and "Mi análisis distinto." in body and ANALYSIS in body
    assert MonitoringNarrative.objects.get().analysis == ANALYSIS


def test_save_and_generate_makes_one_job_however_often_it_is_sent(seed, client_for):
    odes = client_for("odes")
    data = form_data(executive_summary=SUMMARY, generate="")
    responses = [odes.post(narrative_url(), data) for _ in range(2)]
    job = ReportJob.objects.get()
    assert [response.url for response in responses] == [reverse("reports:job", args=[job.pk])] * 2
    assert (job.period_year, job.period_number) == (2025, 6)
    assert MonitoringNarrative.objects.get().revision == 1


def test_a_too_long_text_is_refused_in_spanish_and_the_typed_text_stays(seed, client_for):
    response = client_for("odes").post(narrative_url(), form_data(executive_summary=SUMMARY, analysis="x" * 6001))
    body = response.content.decode()
    assert response.status_code == 400
    assert "6000" in body and SUMMARY in body
    assert not MonitoringNarrative.objects.exists()


def test_a_period_outside_the_plan_year_is_not_found(seed, client_for):
    odes = client_for("odes")
    assert odes.get(reverse("reports:monitoring_narrative", args=[2024, 6])).status_code == 404
    assert odes.get(reverse("reports:monitoring_narrative", args=[2025, 7])).status_code == 404


@override_settings(MONITORING_REPORT_SIGNER_NAME="Ana Torres", MONITORING_REPORT_SIGNER_ROLE="Jefa de la ODES")
def test_the_cover_shows_the_period_and_logos_and_the_body_ends_with_the_signature(seed, make_user):
    plan = Plan.objects.get()
    pdf = monitoring_pdf(monitoring_snapshot(plan=plan, period=NOV_DEC), version_number=1)
    text_pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]
    cover = text_pages[0]
    assert "Noviembre–Diciembre 2025" in cover
    assert "Periodo del 1 de noviembre de 2025 al 31 de diciembre de 2025" in cover
    assert "Generado" not in cover  # the generation date is in the methodological notes
    assert "MTPE Ministerio de Trabajo y Promoción del Empleo" in cover  # static/img/logo-mtpe.svg
    text = " ".join(text_pages)
    notes = text[text.index("7. NOTAS METODOLÓGICAS") : text.index("ANEXO: ACCIONES FORMATIVAS DEL PERIODO")]
    assert "Informe generado el" in notes
    assert "Ana Torres Jefa de la ODES" in notes

    # A signer named in the narrative replaces the configured one; no logo when none is configured.
    services.monitoring_narrative_save(
        plan=plan,
        period=NOV_DEC,
        fields={"signer_name": "Luis Paredes", "signer_role": "Director de la ODES (e)"},
        expected_revision=None,
        by=make_user("odes"),
    )
    with override_settings(MONITORING_REPORT_LOGOS=[]):
        snapshot = monitoring_snapshot(plan=plan, period=NOV_DEC)
    assert snapshot["signature"] == {"name": "Luis Paredes", "role": "Director de la ODES (e)"}
    assert snapshot["logos"] == []
    assert snapshot["narrative"] is None  # a signer only: no narrative text to print


def test_indicators_without_data_share_one_compact_table_so_more_of_them_add_no_pages(seed):
    plan = Plan.objects.get()
    before = monitoring_pdf(monitoring_snapshot(plan=plan, period=NOV_DEC))
    for milestone in Milestone.objects.all():
        Indicator.objects.create(
            milestone=milestone, order=50, name=f"Indicador nuevo del hito {milestone.number}", target=10
        )
    after = monitoring_pdf(monitoring_snapshot(plan=plan, period=NOV_DEC))
    assert pdf_pages(after) <= pdf_pages(before) + 1  # twelve more indicators, one table
    # The seed's 34 indicators without data fill two pages (a block per hito took five).
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(before)).pages]
    first = next(n for n, page in enumerate(pages) if "3. INDICADORES FRENTE A SUS METAS" in page)
    last = next(n for n, page in enumerate(pages) if "4. ACCIONES FORMATIVAS" in page)
    assert last - first <= 2
    text = pdf_text(after, running=RUNNING)
    table = text[text.index("Indicadores sin datos en lo que va del año") : text.index("4. ACCIONES FORMATIVAS")]
    assert "46 indicadores no tienen ningún valor" in table
    assert "H12 Indicador nuevo del hito 12 Registro manual con evidencia 10% Sin datos" in table
    assert "Hito 7: " not in text[text.index("3. INDICADORES FRENTE A SUS METAS") : text.index(table[:40])]


def test_the_monitoring_and_narrative_pages_take_as_many_queries_with_every_narrative_written(seed, client_for):
    odes = client_for("odes")
    odes.post(narrative_url(Bimester(2025, 1)), form_data(executive_summary=SUMMARY))
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as listing:
            odes.get(reverse("reports:monitoring"))
        with CaptureQueriesContext(connection) as page:
            odes.get(narrative_url(Bimester(2025, 1)))
        counts.append((len(listing), len(page)))
        for number in range(2, 7):  # every other period gets its narrative
            odes.post(narrative_url(Bimester(2025, number)), form_data(executive_summary=SUMMARY))
        odes.post(narrative_url(Bimester(2025, 1)), form_data(analysis=ANALYSIS, expected_revision=1))
    assert counts[0] == counts[1]
