"""How the bimonthly report counts a rescheduled action (issue 13, item 1): in the period of its
new date, as «reprogramada» with its original date in the annex; in the period of its original
date apart, as rescheduled to another period, and not among that period's actions."""

import datetime
import re

import pytest
from django.core.management import call_command

from capacity_plan import services
from capacity_plan.models import Plan, TrainingAction
from capacity_plan.periods import Bimester
from reports.monitoring import monitoring_pdf, monitoring_snapshot
from tests.reports.test_monitoring_content import pdf_pages, section

pytestmark = pytest.mark.django_db
CDP_TITLE = "Sesión de lanzamiento de la CdP (demo)"
SEP_OCT, NOV_DEC = Bimester(2025, 5), Bimester(2025, 6)


@pytest.fixture
def plan(seed, make_user):
    call_command("create_demo_training", verbosity=0)
    services.action_reschedule(
        action=TrainingAction.objects.get(title=CDP_TITLE),
        new_date=datetime.date(2025, 12, 4),
        reason="La DRTPE pidió mover la sesión",
        by=make_user("odes"),
    )
    return Plan.objects.get()


def test_the_new_period_counts_it_as_rescheduled_and_lists_it_with_its_original_date(plan):
    snapshot = monitoring_snapshot(plan=plan, period=NOV_DEC)
    assert (snapshot["actions"]["totals"]["total"], snapshot["actions"]["totals"]["rescheduled"]) == (1, 1)
    assert [(row["title"], row["original_start"]) for row in snapshot["annex"]] == [(CDP_TITLE, "2025-09-18")]
    text = " ".join(pdf_pages(monitoring_pdf(snapshot)))
    summary = section(text, "1. RESUMEN EJECUTIVO", "2. AVANCE POR COMPONENTE E HITO")
    assert "se programaron 1 acciones formativas (ejecutadas: 0; reprogramadas: 1;" in summary
    annex = text[text.index("ANEXO: ACCIONES FORMATIVAS DEL PERIODO") :]
    assert "4 de diciembre de 2025 Sesión de lanzamiento de la CdP (demo)" in annex
    assert "Reprogramada, antes 18 de septiembre de 2025 (La DRTPE pidió mover la sesión)" in annex


def test_the_old_period_reports_it_apart_and_does_not_count_it_among_its_actions(plan):
    snapshot = monitoring_snapshot(plan=plan, period=SEP_OCT)
    assert snapshot["actions"]["totals"]["total"] == 0
    assert snapshot["actions"]["rescheduled_out"] == 1
    assert snapshot["annex"] == []
    assert [(row["title"], row["planned_start"]) for row in snapshot["annex_rescheduled_out"]] == [
        (CDP_TITLE, "2025-12-04")
    ]
    text = " ".join(pdf_pages(monitoring_pdf(snapshot)))
    summary = section(text, "1. RESUMEN EJECUTIVO", "2. AVANCE POR COMPONENTE E HITO")
    assert "Además, 1 acción programada para este periodo se reprogramó a otro" in summary
    annex = text[text.index("ANEXO: ACCIONES FORMATIVAS DEL PERIODO") :]
    assert "ACCIONES PROGRAMADAS PARA EL PERIODO Y REPROGRAMADAS A OTRO" in annex.upper()
    assert "18 de septiembre de 2025 Sesión de lanzamiento de la CdP (demo)" in annex
    assert re.search(r"4 de diciembre de 2025 \(Reprogramada ?\)", annex)


def test_a_snapshot_stored_before_original_dates_still_draws(plan):
    snapshot = monitoring_snapshot(plan=plan, period=NOV_DEC)
    del snapshot["annex_rescheduled_out"], snapshot["actions"]["rescheduled_out"]
    for row in snapshot["annex"]:
        row["new_date"] = row.pop("original_start")
        row.pop("reason")
    text = " ".join(pdf_pages(monitoring_pdf(snapshot)))
    assert "Reprogramada: 18 de septiembre de 2025" in text
