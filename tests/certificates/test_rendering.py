"""The certificate's PDF stays one page whatever the length of its texts; the DNI is masked."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Certificate, CertificateKind
from certificates.rendering import certificate_pdf, mask_document
from tests.reports.pdf import pdf_pages, pdf_text


@pytest.mark.parametrize(
    ("number", "masked"), [("41235678", "****5678"), ("12-345 678", "****5678"), ("123", "**3"), ("", "")]
)
def test_the_dni_shows_only_its_last_digits(number, masked):
    assert mask_document(number) == masked


def test_long_names_and_titles_stay_on_one_page():
    certificate = Certificate(
        kind=CertificateKind.TRAINING,
        code="A" * 32,
        holder_name="María de los Ángeles Fernández-Villavicencio Quispe de la Torre Huamán",
        document_masked="****5678",
        title="Diplomado de especialización en gestión pública descentralizada, inspección del trabajo, "
        "promoción del empleo y formación profesional para las Direcciones y Gerencias Regionales",
        subject_kind="Diplomado o programa de especialización",
        hours=Decimal("120"),
        start_date=datetime.date(2025, 3, 3),
        end_date=datetime.date(2025, 11, 28),
        issuer="Ministerio de Trabajo y Promoción del Empleo – DGPE – Dirección General de Promoción del Empleo",
        issued_at=timezone.now(),
    )

    pdf = certificate_pdf(
        certificate, signers=[{"name": "", "role": "Responsable de DGPE"}, {"name": "", "role": "ODES"}]
    )

    assert pdf_pages(pdf) == 1
    assert "María de los Ángeles Fernández-Villavicencio" in pdf_text(pdf)
