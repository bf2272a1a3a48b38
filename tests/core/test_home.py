"""The home page answers "what needs my attention today" for each role, with links, in a fixed
number of queries, and shows a focal point only their own institution's business."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from capacity_plan.models import Attendance, ImportKind, ImportPreview, Indicator, Measurement, TrainingAction
from cooperations.models import Question
from reports.models import Kind, ReportJob, ReportVersion
from tests.cooperations.conftest import world  # noqa: F401  (the two-cooperation world)
from tests.factories import (
    ActionSessionFactory,
    ComponentFactory,
    DeliverableFactory,
    IndicatorFactory,
    MilestoneFactory,
    PlanFactory,
    QuestionFactory,
    ServantFactory,
    SessionFactory,
    StepFactory,
    TrainingActionFactory,
)


def stored_version(job: ReportJob, number: int = 1, label: str = "", open_for_comments: bool = False) -> ReportVersion:
    """A published version of the job with a tiny PDF (rendering is tested elsewhere)."""
    version = ReportVersion(
        kind=job.kind,
        cooperation=job.cooperation,
        period_year=job.period_year,
        period_number=job.period_number,
        number=number,
        label=label,
        open_for_comments=open_for_comments,
        job=job,
        created_at=timezone.now(),
        file_name="informe.pdf",
        size=9,
        sha256="0" * 64,
        snapshot={},
    )
    version.file.save("informe.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    version.save()
    return version


def _today():
    return timezone.localdate()


def _page(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _business(w, n: int = 1):
    """`n` of each thing needing attention in our cooperation (Peru requests, Paraguay shares)."""
    today = _today()
    for index in range(n):
        start = timezone.make_aware(
            datetime.datetime.combine(today + datetime.timedelta(days=3 + index), datetime.time(9)),
            zoneinfo.ZoneInfo("America/Lima"),
        )
        SessionFactory(cooperation=w.cooperation, order=10 + index, title=f"Sesión próxima {index}", starts_at=start)
        StepFactory(cooperation=w.cooperation, text=f"Perú enviará el borrador {index}", due_date=today)
        QuestionFactory(objective=w.objective, text=f"¿Pregunta de Paraguay {index}?", asked_by=w.paraguay)
        QuestionFactory(objective=w.objective, text=f"¿Pregunta de Perú {index}?", asked_by=w.peru)
        DeliverableFactory(
            cooperation=w.cooperation, institution=w.peru, title=f"Informe {index}", due_date=today, is_product=False
        )
        job = ReportJob.objects.create(kind=Kind.SUMMARY, cooperation=w.cooperation, status=ReportJob.Status.DONE)
        number = ReportVersion.objects.filter(cooperation=w.cooperation).count() + 1
        stored_version(job, number=number, label="abierta a comentarios", open_for_comments=True)


def test_oea_staff_see_the_next_sessions_in_both_zones_due_steps_unanswered_questions_and_open_summaries(
    world,  # noqa: F811
    client_for,
):
    w = world
    today = _today()
    _business(w)
    StepFactory(cooperation=w.cooperation, text="Paso lejano", due_date=today + datetime.timedelta(days=40))
    SessionFactory(
        cooperation=w.cooperation,
        order=30,
        title="Sesión lejana",
        starts_at=timezone.now() + datetime.timedelta(days=30),
    )

    page, _queries = _page(client_for(w.users["oea"]))

    assert "Sesión próxima 0" in page and "Sesión lejana" not in page
    # Lima and Asunción: the session's times in both countries' zones, the day in words.
    assert "09:00–12:00 (Perú)" in page
    assert "(Paraguay)" in page
    day = today + datetime.timedelta(days=3)
    assert f"{day.day} de " in page and f"de {day.year}" in page
    assert "Perú enviará el borrador 0" in page and "Paso lejano" not in page
    assert "Vencido" in page  # the world's step of 2024
    assert f'href="{reverse("cooperations:detail", args=[w.cooperation.pk])}#preguntas"' in page
    assert "2 preguntas sin responder" in page  # one asked by each side
    assert "versión 1" in page and "abierta a comentarios" in page


def test_a_summary_version_superseded_or_closed_is_no_longer_open_to_comments(world, client_for):  # noqa: F811
    w = world
    first = ReportJob.objects.create(kind=Kind.SUMMARY, cooperation=w.cooperation, status=ReportJob.Status.DONE)
    stored_version(first, number=1, label="abierta a comentarios", open_for_comments=True)
    second = ReportJob.objects.create(kind=Kind.SUMMARY, cooperation=w.cooperation, status=ReportJob.Status.DONE)
    version = stored_version(second, number=2, label="")

    page, _queries = _page(client_for(w.users["oea"]))

    assert "Ninguna versión está abierta a comentarios." in page
    assert reverse("reports:version", args=[version.pk]) not in page


def test_each_focal_point_sees_what_their_own_institution_must_do(world, client_for):  # noqa: F811
    w = world
    _business(w)
    StepFactory(
        cooperation=w.cooperation,
        text="Paraguay compartirá su presentación",
        responsible_institutions=[w.paraguay],
        due_date=_today(),
    )

    peru, _queries = _page(client_for(w.users["focal_requesting"]))
    paraguay, _queries = _page(client_for(w.users["focal_providing"]))

    # Peru answers Paraguay's question, uploads its report, does its steps.
    assert "1 pregunta por responder" in peru
    assert "Informe 0" in peru and "Perú enviará el borrador 0" in peru
    assert "Paraguay compartirá su presentación" not in peru
    # Paraguay answers Peru's question (and the world's answered one does not count).
    assert "1 pregunta por responder" in paraguay
    assert "Paraguay compartirá su presentación" in paraguay
    assert "Informe 0" not in paraguay and "Perú enviará el borrador 0" not in paraguay


def test_a_focal_point_of_another_institution_sees_none_of_ours(world, client_for):  # noqa: F811
    w = world
    _business(w, n=2)

    page, _queries = _page(client_for(w.users["focal_other"]))

    assert w.cooperation.short_name not in page
    assert "Su institución no tiene preguntas por responder." in page
    assert "No hay plazos vencidos ni próximos." in page
    assert "No hay entregables por subir en los próximos 30 días." in page
    assert "Sesión próxima" not in page


def test_a_deliverable_already_uploaded_or_due_later_is_not_asked_for(world, client_for):  # noqa: F811
    w = world
    DeliverableFactory(
        cooperation=w.cooperation,
        institution=w.peru,
        title="Acta lejana",
        due_date=_today() + datetime.timedelta(days=60),
    )
    w.deliverable.due_date = _today()
    w.deliverable.save()  # it has a version already (the world uploaded one)

    page, _queries = _page(client_for(w.users["focal_requesting"]))

    assert "Acta lejana" not in page and w.deliverable.title not in page


@pytest.mark.parametrize("role", ["oea", "focal_requesting", "focal_providing"])
def test_the_cooperation_lines_take_a_fixed_number_of_queries(world, client_for, role):  # noqa: F811
    w = world
    client = client_for(w.users[role])
    _business(w, n=1)
    _page_text, few = _page(client)
    _business(w, n=4)
    _page_text, many = _page(client)
    assert few == many


# --- The PFC lines --------------------------------------------------------------------------


@pytest.fixture
def plan_today(db, make_user):
    """A plan of this year, with this month's actions and an off-track manual indicator."""

    class Plan:
        pass

    p = Plan()
    today = _today()
    p.plan = PlanFactory(year=today.year)
    p.milestone = MilestoneFactory(component=ComponentFactory(plan=p.plan, number=1), number=4)
    p.indicator = IndicatorFactory(
        milestone=p.milestone,
        name="Informes regionales entregados",
        source=Indicator.Source.MANUAL,
        target=Decimal("80"),
    )
    p.odes = make_user("odes")
    p.manager = make_user("manager")
    Measurement.objects.create(
        indicator=p.indicator,
        year=today.year,
        bimester=(today.month - 1) // 2 + 1,
        value=Decimal("20"),
        recorded_by=p.odes,
    )
    p.unregistered = TrainingActionFactory(milestone=p.milestone, title="Taller sin registro", planned_start=today)
    p.registered = TrainingActionFactory(milestone=p.milestone, title="Taller con registro", planned_start=today)
    session = ActionSessionFactory(action=p.registered)
    Attendance.objects.create(session=session, servant=ServantFactory(), status=Attendance.Status.PRESENT)
    TrainingActionFactory(
        milestone=p.milestone,
        title="Taller cancelado",
        planned_start=today,
        status=TrainingAction.Status.CANCELLED,
        status_reason="Sin sede",
    )
    return p


def _preview(user, kind=ImportKind.PARTICIPANTS, target_id=None, expires_in=datetime.timedelta(hours=5)):
    now = timezone.now()
    preview = ImportPreview(
        kind=kind, target_id=target_id, created_by=user, created_at=now, expires_at=now + expires_in
    )
    preview.file.save("vista.csv", ContentFile(b"dni,nombre\n"), save=False)
    preview.save()
    return preview


def test_odes_see_this_months_actions_without_attendance_indicators_to_justify_and_their_pending_imports(
    plan_today, client_for
):
    p = plan_today
    _preview(p.odes)
    _preview(p.odes, kind=ImportKind.ATTENDANCE, target_id=1, expires_in=-datetime.timedelta(hours=1))

    page, _queries = _page(client_for(p.odes))

    assert "Taller sin registro" in page
    assert "Taller con registro" not in page and "Taller cancelado" not in page
    assert "Hito 4: Informes regionales entregados" in page
    assert f"{reverse('capacity_plan:review', args=[p.indicator.pk])}?periodo=" in page
    assert "A 60% de la meta de 80%" in page
    assert page.count(reverse("capacity_plan:participants_import")) == 1
    assert reverse("capacity_plan:attendance_import", args=[1]) not in page  # expired


def test_a_justified_indicator_is_no_longer_asked_for_but_managers_still_see_it_off_track(plan_today, client_for):
    p = plan_today
    today = _today()
    p.indicator.reviews.create(
        year=today.year,
        bimester=(today.month - 1) // 2 + 1,
        reason="data",
        explanation="Faltan informes",
        corrective_action="Recordar a las regiones",
        recorded_by=p.odes,
    )

    odes, _queries = _page(client_for(p.odes))
    manager, _queries = _page(client_for(p.manager))

    assert "Ningún indicador fuera de ruta espera justificación." in odes
    assert "Hito 4: Informes regionales entregados" in manager and "justificado" in manager


def test_managers_see_the_latest_monitoring_report(plan_today, client_for):
    p = plan_today
    older = ReportJob.objects.create(
        kind=Kind.MONITORING, period_year=p.plan.year, period_number=1, status=ReportJob.Status.DONE
    )
    stored_version(older)
    newer = ReportJob.objects.create(
        kind=Kind.MONITORING, period_year=p.plan.year, period_number=2, status=ReportJob.Status.DONE
    )
    latest = stored_version(newer)

    page, _queries = _page(client_for(p.manager))

    assert reverse("reports:version_download", args=[latest.pk]) in page
    assert f"Mar–Abr {p.plan.year}, versión 1" in page
    assert "Taller sin registro" not in page  # attendance is ODES's business


@pytest.mark.parametrize("role", ["odes", "manager"])
def test_the_pfc_lines_take_a_fixed_number_of_queries(plan_today, client_for, role):
    p = plan_today
    user = p.odes if role == "odes" else p.manager
    client = client_for(user)
    _page_text, few = _page(client)
    for index in range(4):
        TrainingActionFactory(milestone=p.milestone, title=f"Otro taller {index}", planned_start=_today())
        IndicatorFactory(
            milestone=p.milestone, name=f"Otro indicador {index}", source=Indicator.Source.MANUAL, target=Decimal("5")
        )
        _preview(p.odes)
    job = ReportJob.objects.create(
        kind=Kind.MONITORING, period_year=p.plan.year, period_number=1, status=ReportJob.Status.DONE
    )
    stored_version(job)
    _page_text, many = _page(client)
    assert few == many


def test_questions_answered_do_not_count(world, client_for):  # noqa: F811
    w = world
    QuestionFactory(objective=w.objective, asked_by=w.peru, status=Question.Status.ANSWERED)

    page, _queries = _page(client_for(w.users["oea"]))

    assert "Todas las preguntas tienen respuesta." in page
