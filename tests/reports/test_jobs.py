"""Report jobs through Redis and a real Celery worker: publish, poll, download; idempotency;
version numbering and immutability; failures and retries; the bimonthly schedule."""

import datetime
import hashlib
import threading
import uuid
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.urls import reverse

from capacity_plan.periods import Bimester
from reports import selectors as reports_selectors
from reports import services
from reports import views as reports_views
from reports.models import ReportJob, ReportVersion, SummarySeries
from reports.tasks import MAX_RETRIES, generate_report, monitoring_for_ended_period, period_to_report
from rial_site.celery import app as celery_app
from tests.concurrency import post_at_once
from tests.factories import PlanFactory, SessionFactory, aware
from tests.reports.pdf import pdf_text
from tests.workers import solo_worker, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker():
    with solo_worker() as running:
        yield running


def publish(client, cooperation, **data):
    data.setdefault("request_key", str(uuid.uuid4()))
    return client.post(reverse("reports:summary_publish", args=[cooperation.pk]), data)


def test_staff_publish_a_version_which_a_worker_renders_and_the_focal_point_downloads(world, client_for, worker):
    staff = client_for("oea")
    response = publish(staff, world.cooperation, label="abierta a comentarios")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])

    job = wait_for_job(job)
    assert job.status == ReportJob.Status.DONE, job.error
    version = job.version
    assert (version.number, version.label, version.is_final) == (1, "abierta a comentarios", False)
    assert version.created_by == staff.user
    content = version.file.read()
    assert version.size == len(content) and version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.snapshot["cooperation"]["short_name"] == "Perú – Paraguay"

    page = staff.get(reverse("reports:job", args=[job.pk]))
    assert reverse("reports:version_download", args=[version.pk]) in page.content.decode()

    focal = client_for(world.users["focal_providing"])
    download = focal.get(reverse("reports:version_download", args=[version.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    body = b"".join(download.streaming_content)
    assert body == content
    assert "Versión 1:" in pdf_text(body) and "abierta a comentarios" in pdf_text(body)


def test_the_second_version_lists_what_changed_since_the_first(world, client_for, worker):
    staff = client_for("oea")
    publish(staff, world.cooperation)
    first = wait_for_job(ReportJob.objects.get())
    SessionFactory(
        cooperation=world.cooperation,
        order=2,
        title="Sesión de cierre",
        starts_at=aware(2025, 3, 4, 9),
        ends_at=aware(2025, 3, 4, 12),
    )
    publish(staff, world.cooperation, label="con la sesión de cierre")
    second = wait_for_job(ReportJob.objects.exclude(pk=first.pk).get())
    assert (first.version.number, second.version.number) == (1, 2)

    page = staff.get(reverse("reports:version", args=[second.version.pk])).content.decode()
    assert "Cambios desde la versión 1" in page
    assert "Sesión de cierre" in page
    # Version 1 stays downloadable and unchanged.
    old = staff.get(reverse("reports:version_download", args=[first.version.pk]))
    assert hashlib.sha256(b"".join(old.streaming_content)).hexdigest() == first.version.sha256


def test_two_clicks_on_one_form_make_one_job_and_one_version(world, client_for, worker):
    staff = client_for("oea")
    key = str(uuid.uuid4())
    first, second = (
        publish(staff, world.cooperation, request_key=key),
        publish(staff, world.cooperation, request_key=key),
    )
    assert first["Location"] == second["Location"]
    wait_for_job(ReportJob.objects.get())
    assert ReportVersion.objects.count() == 1


def test_running_a_finished_job_again_returns_the_same_version(world, make_user):
    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )
    first = services.job_run(job_id=job.pk)
    again = generate_report.apply(args=[job.pk]).get()
    assert again == first
    assert ReportVersion.objects.count() == 1


def test_a_version_is_immutable(world, make_user):
    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )
    version = ReportVersion.objects.get(pk=services.job_run(job_id=job.pk))
    version.label = "cambiada"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert ReportVersion.objects.get().label == ""


def test_a_final_version_closes_the_series_until_staff_reopen_it(world, client_for):
    staff = client_for("oea")
    job, _created = services.summary_request(
        cooperation=world.cooperation, by=staff.user, request_key=uuid.uuid4(), is_final=True
    )
    services.job_run(job_id=job.pk)
    assert SummarySeries.objects.get(cooperation=world.cooperation).is_closed

    refused = publish(staff, world.cooperation)
    assert refused.status_code == 409
    assert "cerrada con una versión final" in refused.content.decode()
    assert ReportJob.objects.count() == 1

    staff.post(reverse("reports:summary_reopen", args=[world.cooperation.pk]))
    assert publish(staff, world.cooperation).status_code == 302
    assert ReportJob.objects.count() == 2
    text = pdf_text(ReportVersion.objects.get().file.read())
    assert "Versión final (n.º 1):" in text


def test_a_transient_error_is_retried_with_backoff_and_the_job_still_makes_one_version(world, make_user, worker):
    from reports import summary

    real = summary.summary_snapshot
    calls = []

    def flaky(cooperation):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(cooperation)

    with mock.patch.object(summary, "summary_snapshot", side_effect=flaky):
        job, _created = services.summary_request(
            cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
        )
        job = wait_for_job(job, timeout=60)
    assert job.status == ReportJob.Status.DONE
    assert job.attempts == 2
    assert ReportVersion.objects.filter(job=job).count() == 1


def test_a_job_that_exhausts_its_retries_ends_failed_with_its_reason(world, make_user):
    from reports import summary

    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )
    with mock.patch.object(summary, "summary_snapshot", side_effect=OperationalError("no route to host")):
        generate_report.apply(args=[job.pk])  # eager: the retries run at once
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert job.attempts == MAX_RETRIES + 1
    assert "no route to host" in job.error and "intentos" in job.error
    assert not ReportVersion.objects.exists()


def test_a_non_transient_error_fails_at_once_visibly_and_can_be_retried(client_for, worker):
    manager = client_for("manager")  # no plan is loaded: the report cannot be made
    response = manager.post(
        reverse("reports:monitoring_request"), {"period": "2025-2", "request_key": str(uuid.uuid4())}
    )
    assert response.status_code == 400  # no plan: the form says so, nothing is queued
    job, _created = services.monitoring_request(
        plan=None, period=Bimester(2025, 2), by=manager.user, request_key=uuid.uuid4()
    )
    job = wait_for_job(job)
    assert job.status == ReportJob.Status.FAILED and job.attempts == 1
    assert "No hay un plan PFC cargado" in job.error

    page = manager.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "No hay un plan PFC cargado" in page and "Reintentar" in page
    assert "hx-trigger" not in page  # finished: no more polling

    manager.post(reverse("reports:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING, ReportJob.Status.FAILED)
    assert wait_for_job(job).attempts == 2


def test_a_pending_job_fragment_keeps_polling(world, make_user, client_for):
    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )
    page = client_for("oea").get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in page and "En cola" in page
    assert "<html" not in page  # the fragment only


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2025, 3, 1), Bimester(2025, 1)),
        (datetime.date(2025, 5, 1), Bimester(2025, 2)),
        (datetime.date(2025, 11, 1), Bimester(2025, 5)),
        (datetime.date(2026, 1, 1), Bimester(2025, 6)),
        (datetime.date(2025, 4, 30), None),
        (datetime.date(2025, 5, 2), None),
    ],
)
def test_the_schedule_reports_the_period_that_ended_yesterday(today, expected):
    assert period_to_report(today) == expected


def test_the_schedule_requests_each_ended_period_once():
    assert (
        celery_app.conf.beat_schedule["monitoring-report-for-ended-period"]["task"] == monitoring_for_ended_period.name
    )
    first = monitoring_for_ended_period.apply(kwargs={"today": "2025-05-01"}).get()
    again = monitoring_for_ended_period.apply(kwargs={"today": "2025-05-01"}).get()
    assert first == again
    job = ReportJob.objects.get()
    assert (job.period, job.trigger, job.requested_by) == (Bimester(2025, 2), "schedule", None)
    assert monitoring_for_ended_period.apply(kwargs={"today": "2025-05-02"}).get() is None
    assert ReportJob.objects.count() == 1


# --- Requests that arrive together, and what a job is about ------------------------------------


def test_four_simultaneous_posts_of_one_publish_form_make_one_job_and_all_land_on_its_page(world, client_for):
    staff = world.users["oea"]
    clients = [client_for(staff) for _ in range(4)]
    # The four requests all find no job with their key before any of them inserts one: the
    # window a double click (or a proxy retrying) falls into.
    all_checked = threading.Barrier(4, timeout=10)
    real_check = reports_selectors.series_is_closed

    def checked_together(**kwargs):
        all_checked.wait()
        return real_check(**kwargs)

    key = str(uuid.uuid4())
    with mock.patch.object(reports_selectors, "series_is_closed", side_effect=checked_together):
        responses = post_at_once(
            clients, reverse("reports:summary_publish", args=[world.cooperation.pk]), {"request_key": key}
        )

    job = ReportJob.objects.get()
    assert [response.status_code for response in responses] == [302] * 4
    assert {response["Location"] for response in responses} == {reverse("reports:job", args=[job.pk])}
    assert str(job.request_key) == key and job.requested_by == staff


def test_four_simultaneous_posts_of_one_monitoring_form_make_one_job_and_all_land_on_its_page(client_for):
    PlanFactory()
    manager = client_for("manager")
    clients = [manager] + [client_for(manager.user) for _ in range(3)]
    all_in = threading.Barrier(4, timeout=10)
    real_plan_get = reports_views.plan_get

    def plan_get_together():
        all_in.wait()
        return real_plan_get()

    data = {"period": "2025-2", "request_key": str(uuid.uuid4())}
    with mock.patch.object(reports_views, "plan_get", side_effect=plan_get_together):
        responses = post_at_once(clients, reverse("reports:monitoring_request"), data)

    job = ReportJob.objects.get()
    assert [response.status_code for response in responses] == [302] * 4
    assert {response["Location"] for response in responses} == {reverse("reports:job", args=[job.pk])}


def test_two_clicks_on_one_monitoring_form_make_one_job(client_for):
    PlanFactory()
    manager = client_for("manager")
    data = {"period": "2025-2", "request_key": str(uuid.uuid4())}
    first = manager.post(reverse("reports:monitoring_request"), data)
    second = manager.post(reverse("reports:monitoring_request"), data)
    job = ReportJob.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("reports:job", args=[job.pk])


def test_a_monitoring_job_renders_the_plan_it_was_requested_for_even_if_another_is_loaded_since(client_for):
    requested_for = PlanFactory(name="Plan de Fortalecimiento de Capacidades Regionales 2025", short_name="PFC 2025")
    manager = client_for("manager")
    manager.post(reverse("reports:monitoring_request"), {"period": "2025-2", "request_key": str(uuid.uuid4())})
    job = ReportJob.objects.get()
    assert job.plan == requested_for

    PlanFactory(name="Plan de Fortalecimiento de Capacidades Regionales 2026", short_name="PFC 2026", year=2026)
    version = ReportVersion.objects.get(pk=services.job_run(job_id=job.pk))

    assert version.snapshot["plan"]["id"] == requested_for.pk
    assert "PFC 2025" in pdf_text(version.file.read())


def test_the_schedule_requests_the_report_of_the_plan_loaded_when_the_period_ends():
    plan = PlanFactory()
    monitoring_for_ended_period.apply(kwargs={"today": "2025-05-01"}).get()
    assert ReportJob.objects.get().plan == plan
