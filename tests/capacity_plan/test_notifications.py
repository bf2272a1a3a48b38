"""PFC notices: actions whose date passed unmarked and unjustified indicators off track go to the
ODES specialists; a monitoring report ready goes to the managers. Nobody else hears of them."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.core import management

from capacity_plan.models import Indicator, IndicatorReview, Measurement, TrainingAction
from capacity_plan.periods import Bimester
from notifications.models import Notification
from notifications.services import notification_send
from reports import services as report_services
from tests.factories import IndicatorFactory, PlanFactory, TrainingActionFactory, UnitFactory
from tests.mail import smtp_server, text_of  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user):
    return {role: make_user(role) for role in ("odes", "manager", "oea", "focal", "admin")}


def run(day: str) -> None:
    management.call_command("send_due_notifications", today=day, stdout=io.StringIO())


def recipients(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def send_all(kind: str) -> None:
    for pk in Notification.objects.filter(kind=kind, email_status="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk)


def test_an_action_whose_date_passed_unmarked_tells_the_odes_specialists_once(staff, smtp_server):  # noqa: F811
    unit = UnitFactory(acronym="DGPE", name="Dirección General de Promoción del Empleo")
    forgotten = TrainingActionFactory(
        title="Taller de intermediación laboral", organisational_unit=unit, planned_start=datetime.date(2025, 4, 10)
    )
    TrainingActionFactory(planned_start=datetime.date(2025, 4, 9), status=TrainingAction.Status.EXECUTED)
    TrainingActionFactory(
        planned_start=datetime.date(2025, 4, 8), status=TrainingAction.Status.CANCELLED, status_reason="Sin aula"
    )
    later = TrainingActionFactory(planned_start=datetime.date(2025, 4, 20), planned_end=datetime.date(2025, 4, 25))

    run("2025-04-10")
    assert not Notification.objects.filter(kind="action-unmarked").exists()
    run("2025-04-11")
    run("2025-04-12")
    notices = Notification.objects.filter(kind="action-unmarked", target_id=forgotten.pk)
    assert recipients("action-unmarked") == {staff["odes"].pk}  # not managers, OEA, focal points
    assert notices.count() == 1

    send_all("action-unmarked")
    (message,) = smtp_server.messages
    assert message["To"] == staff["odes"].email
    text = text_of(message)
    assert "Taller de intermediación laboral" in text and "DGPE" in text and "10 de abril de 2025" in text

    run("2025-04-25")  # an action is over on its last day, not its first
    assert not Notification.objects.filter(kind="action-unmarked", target_id=later.pk).exists()
    run("2025-04-26")
    assert Notification.objects.filter(kind="action-unmarked", target_id=later.pk).count() == 1


def test_a_rescheduled_action_is_reported_again_when_its_new_date_passes(staff):
    action = TrainingActionFactory(planned_start=datetime.date(2025, 4, 10))
    run("2025-04-11")
    TrainingAction.objects.filter(pk=action.pk).update(
        planned_start=datetime.date(2025, 5, 6),
        original_start=datetime.date(2025, 4, 10),
        status=TrainingAction.Status.RESCHEDULED,
        status_reason="Feriado regional",
    )
    run("2025-04-12")
    assert Notification.objects.filter(kind="action-unmarked").count() == 1
    run("2025-05-07")
    assert Notification.objects.filter(kind="action-unmarked").count() == 2


def test_an_unjustified_indicator_off_track_tells_the_odes_specialists(staff, smtp_server):  # noqa: F811
    plan = PlanFactory()
    off = IndicatorFactory(
        milestone__component__plan=plan,
        name="Servidores capacitados en normativa",
        source=Indicator.Source.MANUAL,
        kind=Indicator.Kind.COUNT,
        target=Decimal(25),
    )
    justified = IndicatorFactory(
        milestone=off.milestone, source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT, target=Decimal(25)
    )
    on_track = IndicatorFactory(
        milestone=off.milestone, source=Indicator.Source.MANUAL, kind=Indicator.Kind.COUNT, target=Decimal(25)
    )
    odes = staff["odes"]
    for indicator, value in ((off, 10), (justified, 10), (on_track, 25)):
        Measurement.objects.create(indicator=indicator, year=2025, bimester=2, value=value, recorded_by=odes)
    IndicatorReview.objects.create(
        indicator=justified,
        year=2025,
        bimester=2,
        reason=IndicatorReview.Reason.BUDGET,
        explanation="Sin presupuesto",
        corrective_action="Reprogramar",
        recorded_by=odes,
    )
    run("2025-03-20")
    run("2025-04-20")
    notices = Notification.objects.filter(kind="indicator-off-track")
    assert {(row.recipient_id, row.target_id) for row in notices} == {(odes.pk, off.pk)}
    assert notices.get().url.endswith(f"/indicadores/{off.pk}/justificacion/?periodo=2025-2")

    send_all("indicator-off-track")
    (message,) = smtp_server.messages
    assert "Servidores capacitados en normativa" in str(message["Subject"])
    assert "A 15 de la meta de 25" in text_of(message)


def test_a_published_monitoring_report_tells_the_managers_only(staff, smtp_server):  # noqa: F811
    plan = PlanFactory()
    job, _created = report_services.monitoring_request(
        plan=plan, period=Bimester(2025, 2), by=staff["odes"], request_key=uuid.uuid4()
    )
    version_id = report_services.job_run(job_id=job.pk)
    report_services.job_run(job_id=job.pk)  # a redelivered task: the same version, no second notice
    notices = Notification.objects.filter(kind="monitoring-ready")
    assert {(row.recipient_id, row.target_id) for row in notices} == {(staff["manager"].pk, version_id)}

    send_all("monitoring-ready")
    (message,) = smtp_server.messages
    assert message["To"] == staff["manager"].email
    assert "Mar–Abr 2025" in str(message["Subject"])
    assert f"/informes/versions/{version_id}/" in text_of(message) or f"versions/{version_id}/" in text_of(message)
