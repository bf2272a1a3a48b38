"""Long lists (over EXPORT_SYNC_MAX_ROWS rows) export in the background: a confirmation page, a
job run as the user who asked (same scope, same filters), its progress page and its file, which
expires and is deleted by beat."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exports import services
from exports.lists import EXPORT_LISTS
from exports.models import ExportJob
from exports.tasks import delete_expired_exports, fail_stale_export_jobs, run_export
from tests.exports.conftest import column, csv_rows, xlsx_rows
from tests.ranking.conftest import published_rankings  # noqa: F401  (fixture: two semesters published)


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client, name, file_format, query=""):
    """The confirmation page, then its form posted: the job's page."""
    page = client.get(reverse("exports:download", args=[name, file_format]) + query)
    assert page.status_code == 200
    key = page.context["form"]["request_key"].value()
    return page, client.post(reverse("exports:request", args=[name, file_format]) + query, {"request_key": key})


def test_a_list_over_the_limit_is_offered_as_a_background_export(plan_data, world):
    client = client_of(world.users["odes"])
    page, response = ask(client, "asistencia", "xlsx", f"?organisational_unit={plan_data.unit.pk}")

    assert "La lista tiene 10 filas: más de 5," in page.content.decode()
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.status == ExportJob.Status.QUEUED
    assert job.filters == {"organisational_unit": [str(plan_data.unit.pk)]}
    assert job.file_name == f"asistencia-{timezone.localdate().isoformat()}.xlsx"
    queued = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in queued and "En cola" in queued


def test_a_double_click_makes_one_job(plan_data, world):
    client = client_of(world.users["odes"])
    page = client.get(reverse("exports:download", args=["asistencia", "csv"]))
    key = page.context["form"]["request_key"].value()
    url = reverse("exports:request", args=["asistencia", "csv"])

    first = client.post(url, {"request_key": key})
    second = client.post(url, {"request_key": key})

    assert ExportJob.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_job_writes_the_filtered_rows_and_offers_its_file(plan_data, world):
    client = client_of(world.users["odes"])
    ask(client, "asistencia", "xlsx", f"?organisational_unit={plan_data.unit.pk}")
    job = ExportJob.objects.get()

    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    page = client.get(job.get_absolute_url()).content.decode()
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    rows = xlsx_rows(download)

    assert job.status == ExportJob.Status.DONE and job.rows_total == job.rows_done == 10 and job.progress == 100
    assert "Listo: 10 filas." in page and reverse("exports:job_download", args=[job.pk]) in page
    assert download["Content-Disposition"] == f'attachment; filename="{job.file_name}"'
    assert set(column(rows, "Acción formativa")) == {"Taller de Liderazgo Transformacional"}
    assert len(rows) == 11
    assert job.expires_at > timezone.now() + datetime.timedelta(hours=23)


def test_a_focal_points_background_export_holds_only_their_institutions_rows(coops, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 0
    client = client_of(coops.users["focal_other"])
    ask(client, "participantes", "csv")
    job = ExportJob.objects.get()

    services.export_job_run(job_id=job.pk)
    rows = csv_rows(client.get(reverse("exports:job_download", args=[job.pk])))

    assert set(column(rows, "Cooperación")) == {"Chile – México"}


def test_nobody_else_sees_a_job_or_its_file(plan_data, world):
    ask(client_of(world.users["odes"]), "asistencia", "csv")
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)

    for role in ("manager", "admin", "oea"):
        other = client_of(world.users[role])
        assert other.get(job.get_absolute_url()).status_code == 404
        assert other.get(reverse("exports:job_download", args=[job.pk])).status_code == 404
    reused = client_of(world.users["manager"]).post(
        reverse("exports:request", args=["asistencia", "csv"]), {"request_key": str(job.request_key)}
    )
    assert reused.status_code == 403


def test_a_job_not_done_has_no_file_to_download(plan_data, world):
    client = client_of(world.users["odes"])
    ask(client, "asistencia", "csv")
    job = ExportJob.objects.get()

    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404


def test_a_job_whose_user_lost_the_right_to_export_fails_with_the_reason(plan_data, world):
    odes = world.users["odes"]
    ask(client_of(odes), "asistencia", "csv")
    job = ExportJob.objects.get()
    odes.groups.clear()
    odes = type(odes).objects.get(pk=odes.pk)

    run_export.apply(args=[job.pk])
    job.refresh_from_db()

    assert job.status == ExportJob.Status.FAILED
    assert job.error == "Ya no tiene permiso para exportar esta lista."


def test_files_expire_and_beat_deletes_them(plan_data, world):
    client = client_of(world.users["odes"])
    ask(client, "asistencia", "csv")
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert delete_expired_exports.apply().get() == 1
    job.refresh_from_db()

    assert job.status == ExportJob.Status.EXPIRED and not job.file
    assert not storage.exists(name)
    assert "El archivo caducó" in client.get(job.get_absolute_url()).content.decode()
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404
    assert delete_expired_exports.apply().get() == 0


def test_a_job_left_running_by_a_dead_worker_is_marked_failed(plan_data, world):
    ask(client_of(world.users["odes"]), "asistencia", "csv")
    job = ExportJob.objects.get()
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )

    assert fail_stale_export_jobs.apply().get() == 1
    job.refresh_from_db()

    assert job.status == ExportJob.Status.FAILED and "dejó de responder" in job.error


def test_a_done_job_run_again_does_nothing(plan_data, world):
    ask(client_of(world.users["odes"]), "asistencia", "csv")
    job = ExportJob.objects.get()
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    finished = job.finished_at

    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()

    assert job.finished_at == finished and job.attempts == 1


def test_invalid_filters_are_refused_before_a_job_is_made(plan_data, world):
    response = client_of(world.users["odes"]).post(
        reverse("exports:request", args=["acciones", "csv"]) + "?month=nada", {"request_key": str(uuid.uuid4())}
    )

    assert response.status_code == 400 and not ExportJob.objects.exists()


def test_every_list_can_run_as_a_job(plan_data, coops, published_rankings, settings):  # noqa: F811
    settings.EXPORT_SYNC_MAX_ROWS = 0
    for name, export_list in EXPORT_LISTS.items():
        user = coops.users["oea"] if export_list.permission.startswith("cooperations") else coops.users["odes"]
        job = services.export_request(
            export_list=export_list, file_format="xlsx", filters={}, by=user, request_key=uuid.uuid4()
        )
        services.export_job_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == ExportJob.Status.DONE, (name, job.error)
        assert job.rows_total and job.size, name


def test_a_running_jobs_page_shows_its_progress_and_keeps_refreshing(plan_data, world):
    client = client_of(world.users["odes"])
    ask(client, "asistencia", "csv")
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), rows_total=12000, rows_done=3000
    )

    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()

    assert "Escribiendo filas: 3\xa0000 de 12\xa0000." in fragment  # Spanish groups thousands with a space
    assert 'style="width: 25%"' in fragment
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment


def test_a_failed_job_offers_the_same_export_again(plan_data, world):
    client = client_of(world.users["odes"])
    ask(client, "asistencia", "xlsx", f"?organisational_unit={plan_data.unit.pk}")
    job = ExportJob.objects.get()
    services.export_job_mark_failed(job_id=job.pk, reason="Falta espacio en disco.")

    page = client.get(job.get_absolute_url()).content.decode()

    assert "Falta espacio en disco." in page and "hx-trigger" not in page
    assert f'href="/exportaciones/asistencia/xlsx/?organisational_unit={plan_data.unit.pk}"' in page


@pytest.mark.parametrize(("limit", "downloads_at_once"), [(10, True), (9, False)])
def test_a_list_of_exactly_the_limit_downloads_at_once(plan_data, world, settings, limit, downloads_at_once):
    settings.EXPORT_SYNC_MAX_ROWS = limit
    url = reverse("exports:download", args=["asistencia", "csv"]) + f"?organisational_unit={plan_data.unit.pk}"

    response = client_of(world.users["odes"]).get(url)

    assert response.has_header("Content-Disposition") is downloads_at_once
    assert ("form" in (response.context or {})) is not downloads_at_once
