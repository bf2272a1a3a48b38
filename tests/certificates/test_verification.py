"""The public verification page: what a certificate says and whether it is valid, to anyone with
its code; nothing else about anybody; rate-limited."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from certificates import services
from certificates.models import Certificate
from certificates.selectors import certificate_for_code


@pytest.fixture
def issued(diploma, make_user):
    """Ana's certificate of the diplomado, issued through the job's service."""
    odes = make_user("odes")
    job, _created = services.training_certificates_request(action=diploma.action, by=odes, request_key=uuid.uuid4())
    services.certificate_job_run(job_id=job.pk)
    diploma.odes = odes
    diploma.certificate = Certificate.objects.get(servant=diploma.ana)
    return diploma


def verify(code, client=None):
    return (client or Client()).get(reverse("verify_certificate", args=[code]))


def test_a_valid_certificate_shows_its_facts_to_anyone_and_nothing_else(issued):
    response = verify(issued.certificate.code)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="valid"' in page and "Certificado válido." in page
    for fact in (
        "Ana Exacta",
        "Diplomado en Gestión Pública Regional",
        "Diplomado o programa de especialización",
        "24",
        "5 de mayo de 2025",
        "2 de junio de 2025",
        "DGPE – Dirección General de Promoción del Empleo",
    ):
        assert fact in page, fact
    # No DNI (not even masked), no region, no other participant of the action.
    for secret in ("41235678", "5678", str(issued.ana.region), "Bruno Corto", "Carla Ausente"):
        assert secret not in page, secret
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"]


def test_a_revoked_certificate_says_so_with_its_date(issued):
    services.certificate_revoke(certificate=issued.certificate, reason="Asistencia mal registrada", by=issued.odes)
    issued.certificate.refresh_from_db()

    page = verify(issued.certificate.code).content.decode()

    assert 'data-status="revoked"' in page
    assert "Certificado revocado el" in page and "Certificado válido." not in page
    assert "Asistencia mal registrada" not in page  # the reason stays inside
    # The revocation is in the certificate's history, with who did it.
    states = list(issued.certificate.history.order_by("history_id").values_list("status", "history_user"))
    assert states[0][0] == "valid" and states[-1] == ("revoked", issued.odes.pk)


@pytest.mark.parametrize("code", ["x" * 32, "corto", "no-es-un-código-válido-ñ" * 2])
def test_an_unknown_code_says_so(db, code):
    response = verify(code)

    assert response.status_code == 404
    assert "No existe un certificado con este código." in response.content.decode()


def test_codes_are_long_random_and_distinct(issued):
    codes = set(Certificate.objects.values_list("code", flat=True))
    assert all(len(code) >= 32 for code in codes)  # 24 random bytes: 192 bits
    assert certificate_for_code(code=issued.certificate.code[:-1]) is None


def test_the_page_is_rate_limited_per_address(issued, settings):
    settings.CERTIFICATE_VERIFICATION_RATE = "3/m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [verify(issued.certificate.code, client).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert "Demasiadas consultas" in verify(issued.certificate.code, client).content.decode()
    # Another address is not held back.
    assert verify(issued.certificate.code, Client(REMOTE_ADDR="198.51.100.2")).status_code == 200


def test_the_page_fits_a_phone(issued):
    page = verify(issued.certificate.code).content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert 'class="verification-page' in page
