"""ODES issue the certificates of an action in one job, run by a real Celery worker: one PDF per
servant who qualifies and one ZIP with all; issuing again keeps every certificate and its code;
a revoked certificate stays revoked and leaves the ZIP."""

import hashlib
import io
import uuid
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateJob
from tests.certificates.conftest import build_diploma
from tests.factories import ActionSessionFactory, ServantFactory, TrainingActionFactory
from tests.reports.pdf import pdf_pages, pdf_text
from tests.workers import solo_worker, wait_for_job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def worker():
    with solo_worker() as running:
        yield running


def issue(client, action):
    return client.post(reverse("certificates:action_issue", args=[action.pk]), {"request_key": str(uuid.uuid4())})


def test_odes_issue_one_pdf_per_servant_who_qualifies_and_a_zip_with_all(client_for, worker):
    diploma = build_diploma()
    odes = client_for("odes")

    response = issue(odes, diploma.action)

    assert response.status_code == 302
    assert response["Location"] == diploma.action.get_absolute_url() + "#certificados"
    job = wait_for_job(CertificateJob.objects.get(), timeout=120)
    assert job.status == CertificateJob.Status.DONE, job.error
    assert (job.total, job.processed, job.issued) == (1, 1, 1)
    certificate = Certificate.objects.get()
    assert certificate.servant == diploma.ana  # Bruno (23,5 h) and Carla (60 %) do not qualify
    assert len(certificate.code) >= 22  # at least 128 random bits, URL-safe

    pdf = certificate.file.read()
    assert certificate.sha256 == hashlib.sha256(pdf).hexdigest()
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    for expected in (
        "Ana Exacta",
        "DNI ****5678",
        "Diplomado en Gestión Pública Regional",
        "diplomado o programa de especialización",
        "con 24 horas lectivas",
        "del 5 de mayo de 2025 al 2 de junio de 2025",
        "MINISTERIO DE TRABAJO Y PROMOCIÓN DEL EMPLEO – DGPE – DIRECCIÓN GENERAL DE PROMOCIÓN DEL EMPLEO",
        "Responsable de Dirección General de Promoción del Empleo",  # the signatures
        "Oficina de Descentralización (ODES)",
    ):
        assert expected in text, expected
    assert "41235678" not in text  # the DNI is masked
    assert "Bruno" not in text and "Carla" not in text
    assert f"{settings.SITE_URL}/verificar/{certificate.code}" in text.replace(" ", "")

    page = odes.get(diploma.action.get_absolute_url())
    assert reverse("certificates:job_archive", args=[job.pk]) in page.content.decode()
    download = odes.get(reverse("certificates:job_archive", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [certificate.file_name]
    assert archive.read(certificate.file_name) == pdf


def test_issuing_again_keeps_each_certificate_and_its_code_and_a_revoked_one_stays_out(client_for, worker):
    action = TrainingActionFactory(title="Taller de Inspección Laboral")
    session = ActionSessionFactory(action=action)
    servants = [ServantFactory(full_name=f"Participante {n}") for n in range(3)]
    for servant in servants:
        session.attendance.create(servant=servant, status="present")
    odes = client_for("odes")
    issue(odes, action)
    first = wait_for_job(CertificateJob.objects.get(), timeout=120)
    assert first.status == CertificateJob.Status.DONE, first.error
    codes = dict(Certificate.objects.values_list("servant_id", "code"))
    files = dict(Certificate.objects.values_list("servant_id", "sha256"))
    revoked = services.certificate_revoke(
        certificate=Certificate.objects.get(servant=servants[0]), reason="Registro duplicado", by=odes.user
    )

    issue(odes, action)
    second = wait_for_job(CertificateJob.objects.exclude(pk=first.pk).get(), timeout=120)

    assert second.status == CertificateJob.Status.DONE, second.error
    assert (second.total, second.issued) == (3, 0)
    assert dict(Certificate.objects.values_list("servant_id", "code")) == codes
    assert dict(Certificate.objects.values_list("servant_id", "sha256")) == files
    revoked.refresh_from_db()
    assert revoked.status == Certificate.Status.REVOKED
    names = zipfile.ZipFile(second.archive.open("rb")).namelist()
    assert len(names) == 2 and revoked.file_name not in names


def test_a_double_click_makes_one_job(client_for, diploma):
    odes = client_for("odes")
    key = str(uuid.uuid4())
    for _ in range(2):
        odes.post(reverse("certificates:action_issue", args=[diploma.action.pk]), {"request_key": key})
    assert CertificateJob.objects.count() == 1


def test_nobody_qualifying_is_refused_with_a_reason(client_for):
    action = TrainingActionFactory()
    ActionSessionFactory(action=action).attendance.create(servant=ServantFactory(), status="absent")
    odes = client_for("odes")

    response = issue(odes, action)

    assert not CertificateJob.objects.exists()
    page = odes.get(response["Location"])
    assert "Nadie cumple aún los requisitos del certificado de esta acción." in page.content.decode()


def test_managers_and_others_cannot_issue(client_for, diploma):
    for role in ("manager", "oea", "focal"):
        assert issue(client_for(role), diploma.action).status_code == 403
    assert not CertificateJob.objects.exists()
