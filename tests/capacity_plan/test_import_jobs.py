"""Imports too big for a request run on a real Celery worker: upload returns at once, the job
page shows progress then the same preview, and the confirmation is written by the worker too;
all rows or none, row-by-row errors, stale jobs failed by the sweep and retried."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from capacity_plan.imports.jobs import IN_REQUEST_CSV_BYTES, import_jobs_fail_stale
from capacity_plan.models import Attendance, ImportJob, PublicServant
from tests.workers import celery_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROWS = 700


@pytest.fixture
def worker():
    with celery_worker(queues="celery", name="imports") as process:
        yield process


# Long enough that ROWS rows pass the in-request size: the job is chosen by size, not by rows.
POSITION = "Especialista regional de la dirección regional de trabajo y promoción del empleo " * 2


def big_register(rows=ROWS, bad_row=None) -> SimpleUploadedFile:
    lines = ["Nombres y apellidos,DNI,Región,Cargo"]
    for n in range(1, rows + 1):
        region = "Atlántida" if n == bad_row else "Cusco"
        lines.append(f"Persona {n:04d},7{n:07d},{region},{POSITION}{n}")
    content = "\n".join(lines).encode()
    assert len(content) > IN_REQUEST_CSV_BYTES
    return SimpleUploadedFile("registro-grande.csv", content)


def wait_for(job: ImportJob, step: str) -> ImportJob:
    def ended():
        job.refresh_from_db()
        return job.step == step and not job.is_pending

    return wait_until(ended, 120, f"import job {job.pk} to end its {step}", interval=0.2) and job


def test_a_big_import_is_previewed_and_written_by_the_worker(pfc, client_for, worker):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    uploaded = client.post(url, {"file": big_register()})
    job = ImportJob.objects.get()
    assert uploaded.status_code == 302 and uploaded["Location"] == reverse("capacity_plan:import_job", args=[job.pk])
    assert job.report is None  # the request parsed nothing

    job = wait_for(job, "preview")
    assert job.status == ImportJob.Status.DONE, job.error
    page = client.get(uploaded["Location"]).content.decode()
    assert f"Vista previa: {ROWS} filas válidas ({ROWS} nuevas" in page
    assert "Persona 0001" in page and "Las primeras 20 filas, como se guardarán" in page
    assert Attendance.objects.count() == 0 and not PublicServant.objects.filter(full_name="Persona 0001").exists()

    confirmed = client.post(reverse("capacity_plan:import_job_confirm", args=[job.pk]), {"confirm": "1"})
    assert confirmed.status_code == 302
    job = wait_for(job, "confirm")
    assert job.status == ImportJob.Status.DONE, job.error
    assert Attendance.objects.filter(session=pfc.session).count() == ROWS
    done = client.get(reverse("capacity_plan:import_job", args=[job.pk])).content.decode()
    assert f"Importación terminada: {ROWS} nuevos" in done
    assert not job.file.storage.exists(job.file.name)  # the stashed file is gone

    again = client.post(reverse("capacity_plan:import_job_confirm", args=[job.pk]), {"confirm": "1"})
    assert again.status_code == 302
    assert Attendance.objects.filter(session=pfc.session).count() == ROWS  # a second click writes nothing


def test_a_big_file_with_a_bad_row_reports_it_and_writes_nothing(pfc, client_for, worker):
    client = client_for("odes")
    client.post(reverse("capacity_plan:attendance_import", args=[pfc.session.pk]), {"file": big_register(bad_row=300)})
    job = wait_for(ImportJob.objects.get(), "preview")
    page = client.get(reverse("capacity_plan:import_job", args=[job.pk])).content.decode()
    assert "El archivo tiene 1 error. No se guardó nada" in page
    assert "Fila 301: Región desconocida: «Atlántida»." in page
    assert "Confirmar importación" not in page
    refused = client.post(reverse("capacity_plan:import_job_confirm", args=[job.pk]), {"confirm": "1"}, follow=True)
    assert "Esta vista previa no se puede confirmar." in refused.content.decode()
    assert Attendance.objects.count() == 0 and not PublicServant.objects.filter(full_name="Persona 0001").exists()


def test_a_job_whose_worker_died_is_failed_by_the_sweep_and_can_be_retried(pfc, client_for):
    client = client_for("odes")
    client.post(reverse("capacity_plan:attendance_import", args=[pfc.session.pk]), {"file": big_register()})
    job = ImportJob.objects.get()
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    page = client.get(reverse("capacity_plan:import_job", args=[job.pk])).content.decode()
    assert "no da señales" in page and "Reintentar" in page

    assert import_jobs_fail_stale(now=timezone.now()) == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "dejó de responder" in job.error

    with celery_worker(queues="celery", name="imports-retry"):
        client.post(reverse("capacity_plan:import_job_retry", args=[job.pk]))
        job = wait_for(job, "preview")
    assert job.status == ImportJob.Status.DONE and job.report["total"] == ROWS


def test_someone_elses_import_job_is_not_found(pfc, client_for):
    owner, other = client_for("odes"), client_for("odes")
    owner.post(reverse("capacity_plan:attendance_import", args=[pfc.session.pk]), {"file": big_register()})
    job = ImportJob.objects.get()
    assert other.get(reverse("capacity_plan:import_job", args=[job.pk])).status_code == 404
    assert other.post(reverse("capacity_plan:import_job_confirm", args=[job.pk])).status_code == 404
