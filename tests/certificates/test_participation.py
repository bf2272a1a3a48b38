"""RIAL cooperations: OEA staff issue a certificate of participation per participant, from the
cooperation's page; nobody else may; the same verification page shows it."""

import uuid

from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateJob
from tests.factories import SessionFactory, aware
from tests.reports.pdf import pdf_text


def issue(client, cooperation):
    return client.post(
        reverse("certificates:cooperation_issue", args=[cooperation.pk]), {"request_key": str(uuid.uuid4())}
    )


def test_oea_staff_issue_one_certificate_of_participation_per_participant(cooperation_world, client_for):
    w = cooperation_world
    # Held: the world's session (17/05/2022, 3 hours); not yet: one planned for 2030.
    SessionFactory(cooperation=w.cooperation, order=2, starts_at=aware(2030, 3, 4, 9))
    staff = client_for(w.users["oea"])

    response = issue(staff, w.cooperation)

    assert response.status_code == 302
    job = CertificateJob.objects.get()
    assert job.cooperation == w.cooperation and job.requested_by == w.users["oea"]
    services.certificate_job_run(job_id=job.pk)  # what the worker does (tests/certificates/test_issue.py runs one)
    job.refresh_from_db()
    assert job.status == CertificateJob.Status.DONE and job.issued == 2
    certificates = {c.holder_name: c for c in Certificate.objects.all()}
    assert set(certificates) == {"Rosa Delegada", "Luis Delegado"}  # not the other cooperation's participant
    text = pdf_text(certificates["Rosa Delegada"].file.read())
    assert "Certificado de participación" in text and w.cooperation.title in text
    assert "RED INTERAMERICANA PARA LA ADMINISTRACIÓN LABORAL (RIAL)" in text
    assert "con 3 horas lectivas el 17 de mayo de 2022" in text

    page = client_for(w.users["focal_requesting"]).get(
        reverse("verify_certificate", args=[certificates["Rosa Delegada"].code])
    )
    assert page.status_code == 200 and "Rosa Delegada" in page.content.decode()
    assert "Luis Delegado" not in page.content.decode()

    detail = staff.get(w.cooperation.get_absolute_url()).content.decode()
    assert reverse("certificates:download", args=[certificates["Luis Delegado"].pk]) in detail


def test_only_oea_staff_issue_them(cooperation_world, client_for):
    w = cooperation_world
    for role in ("manager", "odes", "focal_requesting", "focal_providing", "focal_other"):
        assert issue(client_for(w.users[role]), w.cooperation).status_code == 403, role
    assert not CertificateJob.objects.exists()


def test_focal_points_do_not_see_the_certificates_part(cooperation_world, client_for):
    w = cooperation_world
    page = client_for(w.users["focal_requesting"]).get(w.cooperation.get_absolute_url()).content.decode()
    assert 'data-testid="certificates-panel"' not in page
    staff_page = client_for(w.users["oea"]).get(w.cooperation.get_absolute_url()).content.decode()
    assert 'data-testid="certificates-panel"' in staff_page and "Emitir certificados de participación" in staff_page


def test_odes_cannot_revoke_a_certificate_of_participation(cooperation_world, client_for):
    w = cooperation_world
    job, _created = services.participation_certificates_request(
        cooperation=w.cooperation, by=w.users["oea"], request_key=uuid.uuid4()
    )
    services.certificate_job_run(job_id=job.pk)
    certificate = Certificate.objects.first()
    url = reverse("certificates:revoke", args=[certificate.pk])

    assert client_for(w.users["odes"]).post(url, {"reason": "No"}).status_code == 403
    assert client_for(w.users["oea"]).post(url, {"reason": "Nombre mal escrito"}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED and certificate.revocation_reason == "Nombre mal escrito"
