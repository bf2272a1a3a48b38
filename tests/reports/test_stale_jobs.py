"""A job left "running" by a worker that died with it: the worker's heartbeat stops, the job
counts as stale, beat's sweep marks it failed with a reason, and the job page and the admin offer
to retry it (before the sweep too). A stale job whose worker does finish still makes one version."""

import datetime
import time
import uuid
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reports import models as report_models
from reports import services
from reports.models import HEARTBEAT_TIMEOUT, TIME_LIMIT, TIME_LIMIT_MARGIN, ReportJob, ReportVersion
from reports.tasks import fail_stale_jobs
from rial_site.celery import app as celery_app
from tests.workers import solo_worker


def running_job(
    world, *, started: datetime.timedelta, heartbeat: datetime.timedelta | None, now: datetime.datetime | None = None
) -> ReportJob:
    """A summary job a worker took up `started` before `now` (default: now) and whose last
    heartbeat was `heartbeat` before it."""
    now = now or timezone.now()
    return ReportJob.objects.create(
        kind="summary",
        cooperation=world.cooperation,
        requested_by=world.users["oea"],
        status=ReportJob.Status.RUNNING,
        attempts=1,
        started_at=now - started,
        heartbeat_at=None if heartbeat is None else now - heartbeat,
    )


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.mark.django_db
def test_the_sweep_fails_jobs_whose_worker_stopped_and_leaves_live_and_queued_ones(world):
    now = timezone.now()
    silent = running_job(world, started=minutes(5), heartbeat=HEARTBEAT_TIMEOUT + minutes(1), now=now)
    never_beat = running_job(world, started=HEARTBEAT_TIMEOUT + minutes(1), heartbeat=None, now=now)  # older rows
    over_limit = running_job(world, started=TIME_LIMIT + TIME_LIMIT_MARGIN + minutes(1), heartbeat=minutes(0), now=now)
    live = running_job(world, started=minutes(4), heartbeat=minutes(0.5), now=now)
    queued = ReportJob.objects.create(kind="summary", cooperation=world.cooperation)
    ReportJob.objects.filter(pk=queued.pk).update(requested_at=now - datetime.timedelta(hours=2))
    failed_before = ReportJob.objects.create(
        kind="summary", cooperation=world.cooperation, status=ReportJob.Status.FAILED, error="otro motivo"
    )

    assert services.job_fail_stale(now=now) == 3

    for job in (silent, never_beat, over_limit):
        job.refresh_from_db()
        assert job.status == ReportJob.Status.FAILED
        assert "dejó de responder" in job.error and "reintentarlo" in job.error
        assert job.finished_at == now
    for job, status in ((live, "running"), (queued, "queued"), (failed_before, "failed")):
        job.refresh_from_db()
        assert job.status == status
    assert failed_before.error == "otro motivo"
    assert services.job_fail_stale(now=now) == 0  # nothing left to sweep


@pytest.mark.django_db
def test_the_job_page_offers_to_retry_a_stale_running_job_and_the_retry_makes_one_version(world, client_for):
    staff = client_for(world.users["oea"])
    job = running_job(world, started=minutes(5), heartbeat=HEARTBEAT_TIMEOUT + minutes(1))

    page = staff.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "no da señales" in page and "Reintentar" in page

    assert staff.post(reverse("reports:job_retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED and job.error == ""

    version = services.job_run(job_id=job.pk)  # the retry runs
    late = services.job_run(job_id=job.pk)  # the stale worker's message, delivered again later
    assert late == version
    assert ReportVersion.objects.filter(job=job).count() == 1
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE


@pytest.mark.django_db
def test_a_live_running_job_offers_no_retry_and_a_retry_post_leaves_it_running(world, client_for):
    staff = client_for(world.users["oea"])
    job = running_job(world, started=minutes(0), heartbeat=minutes(0))

    page = staff.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Se está generando el informe…" in page and "Reintentar" not in page and "no da señales" not in page

    staff.post(reverse("reports:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.RUNNING and job.attempts == 1


@pytest.mark.django_db
def test_a_swept_job_ends_failed_on_its_page_and_can_be_retried_there(world, client_for):
    staff = client_for(world.users["oea"])
    job = running_job(world, started=minutes(10), heartbeat=minutes(10))
    services.job_fail_stale(now=timezone.now() + minutes(10))

    page = staff.get(reverse("reports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Falló." in page and "dejó de responder" in page and "Reintentar" in page
    assert "hx-trigger" not in page

    staff.post(reverse("reports:job_retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED


@pytest.mark.django_db
def test_the_admin_retries_stale_running_jobs_too(world, client_for):
    admin = client_for("admin")
    stale = running_job(world, started=minutes(5), heartbeat=HEARTBEAT_TIMEOUT + minutes(1))
    live = running_job(world, started=minutes(0), heartbeat=minutes(0))

    response = admin.post(
        reverse("admin:reports_reportjob_changelist"),
        {"action": "retry", "_selected_action": [stale.pk, live.pk]},
        follow=True,
    )
    assert "1 trabajos en cola de nuevo." in response.content.decode()
    stale.refresh_from_db()
    live.refresh_from_db()
    assert (stale.status, live.status) == (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_heartbeats_while_it_renders(world, make_user):
    from reports import summary

    job, _created = services.summary_request(
        cooperation=world.cooperation, by=make_user("oea"), request_key=uuid.uuid4()
    )
    real = summary.summary_snapshot
    seen = []

    def slow(cooperation):
        started = ReportJob.objects.get(pk=job.pk)
        time.sleep(0.5)  # rendering takes a while: the heartbeat keeps going meanwhile
        seen.append((started.heartbeat_at, ReportJob.objects.get(pk=job.pk).heartbeat_at))
        return real(cooperation)

    with (
        mock.patch.object(report_models, "HEARTBEAT_INTERVAL", datetime.timedelta(seconds=0.05)),
        mock.patch.object(summary, "summary_snapshot", side_effect=slow),
    ):
        services.job_run(job_id=job.pk)

    [(at_start, while_rendering)] = seen
    assert at_start is not None and while_rendering > at_start
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    assert not services.job_fail_stale(now=timezone.now())


def test_the_beat_schedule_sweeps_stale_jobs_every_five_minutes():
    entry = celery_app.conf.beat_schedule["fail-stale-report-jobs"]
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    assert entry["task"] == fail_stale_jobs.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 5)) and len(entry["schedule"].hour) == 24


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_sweep_task_runs_on_a_real_worker(world):
    stale = running_job(world, started=minutes(5), heartbeat=HEARTBEAT_TIMEOUT + minutes(1))
    live = running_job(world, started=minutes(0), heartbeat=minutes(0))

    with solo_worker(queues=["celery"], shutdown_timeout=10):
        assert fail_stale_jobs.delay().get(timeout=20) == 1

    assert ReportJob.objects.get(pk=stale.pk).status == ReportJob.Status.FAILED
    assert ReportJob.objects.get(pk=live.pk).status == ReportJob.Status.RUNNING


@pytest.mark.django_db
def test_being_generated_is_said_only_inside_the_polled_card_so_it_goes_when_the_job_is_done(world, client_for):
    """The page a publish lands on says the version is being generated only in the job's card,
    which htmx replaces: once the job is done the page no longer says so (a flash message above
    the card stayed beside «Listo»)."""
    staff = client_for(world.users["oea"])
    response = staff.post(
        reverse("reports:summary_publish", args=[world.cooperation.pk]), {"request_key": str(uuid.uuid4())}
    )
    job = ReportJob.objects.get()
    page = staff.get(response["Location"]).content.decode()
    card = staff.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    for text in ("Se está generando", "Esta página se actualiza sola."):
        assert page.count(text) == card.count(text)
    assert "Esta página se actualiza sola." in card

    services.job_run(job_id=job.pk)

    done = staff.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert "Listo." in done
    assert "Se está generando" not in done and "se actualiza sola" not in done
