"""Uploaded measurement evidence can be seen and downloaded (issue 13, item 10): the hito and
plan pages link it, the download checks permission, the monitoring report lists its file name."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from capacity_plan.models import Indicator
from capacity_plan.periods import Bimester
from reports.monitoring import monitoring_pdf, monitoring_snapshot
from tests.files import PDF_BYTES, upload
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db
BBPP_IDENTIFIED = 701


@pytest.fixture
def recorded(seed, client_for):
    """ODES records Hito 7's «Número de BBPP identificadas» for Mar–Abr with the committee's minutes."""
    indicator = Indicator.objects.get(pk=BBPP_IDENTIFIED)
    response = client_for("odes").post(
        reverse("capacity_plan:measurement", args=[indicator.pk]),
        {
            "period": "2025-2",
            "value": "6",
            "note": "Acta del comité evaluador",
            "evidence": upload("acta-comite-marzo.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    return indicator.measurements.get()


def test_the_hito_page_links_the_evidence_and_it_downloads(recorded, client_for):
    hito = client_for("manager").get(recorded.indicator.milestone.get_absolute_url())
    page = hito.content.decode()
    link = reverse("capacity_plan:measurement_evidence", args=[recorded.pk])
    assert f'href="{link}"' in page
    assert "Evidencia: acta-comite-marzo.pdf" in page
    download = client_for("manager").get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Disposition"] == 'attachment; filename="acta-comite-marzo.pdf"'
    assert download["Cache-Control"] == "private, no-store"


def test_the_plan_page_links_the_evidence_of_the_period(recorded, client_for):
    page = client_for("odes").get(reverse("capacity_plan:home") + "?periodo=2025-2").content.decode()
    assert reverse("capacity_plan:measurement_evidence", args=[recorded.pk]) in page
    other_period = client_for("odes").get(reverse("capacity_plan:home") + "?periodo=2025-3").content.decode()
    assert "acta-comite-marzo.pdf" not in other_period


@pytest.mark.parametrize("role", ["oea", "focal"])
def test_roles_outside_the_plan_cannot_download_it(recorded, client_for, role):
    link = reverse("capacity_plan:measurement_evidence", args=[recorded.pk])
    assert client_for(role).get(link).status_code == 403


def test_a_measurement_without_evidence_has_no_link_and_no_file(seed, client_for):
    indicator = Indicator.objects.get(pk=BBPP_IDENTIFIED)
    client_for("odes").post(
        reverse("capacity_plan:measurement", args=[indicator.pk]), {"period": "2025-2", "value": "6", "note": ""}
    )
    measurement = indicator.measurements.get()
    page = client_for("odes").get(indicator.milestone.get_absolute_url()).content.decode()
    assert 'data-testid="evidence-link"' not in page
    assert (
        client_for("odes").get(reverse("capacity_plan:measurement_evidence", args=[measurement.pk])).status_code == 404
    )


def test_the_monitoring_report_lists_the_evidence_by_file_name(recorded):
    plan = recorded.indicator.milestone.component.plan
    text = pdf_text(monitoring_pdf(monitoring_snapshot(plan=plan, period=Bimester(2025, 2))))
    assert (
        "Número de BBPP identificadas y documentadas. Registro manual con evidencia "
        "Nota: Acta del comité evaluador Evidencia: acta-comite-marzo.pdf 6"
    ) in text


def test_the_hito_page_keeps_its_query_count_with_more_evidence(recorded, client_for, make_user):
    client = client_for("odes")
    url = recorded.indicator.milestone.get_absolute_url()
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for indicator_pk, period in ((702, "2025-2"), (703, "2025-3"), (BBPP_IDENTIFIED, "2025-4")):
        client.post(
            reverse("capacity_plan:measurement", args=[indicator_pk]),
            {"period": period, "value": "2", "note": "", "evidence": upload("acta.pdf", PDF_BYTES, "application/pdf")},
        )
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert page.count('data-testid="evidence-link"') == 4
    assert len(four) == len(one)
