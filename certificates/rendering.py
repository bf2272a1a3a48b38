"""A certificate as a one-page PDF (WeasyPrint, through the reports' renderer and its static-only
URL fetcher), with its verification address as a QR code drawn inline (segno, SVG); and the ZIP of
several."""

import io
import zipfile
from collections.abc import Iterable

import segno
from django.utils import translation
from django.utils.text import slugify

from reports.rendering import render_pdf

from .models import Certificate


def mask_document(number: str) -> str:
    """A national ID with all but its last four characters hidden: «****5678»; "" when empty."""
    number = "".join(ch for ch in (number or "") if ch.isalnum())
    if not number:
        return ""
    visible = number[-4:] if len(number) > 4 else number[-1:]
    return "*" * (len(number) - len(visible)) + visible


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG markup (no XML declaration), for the print template."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000")


def certificate_file_name(certificate: Certificate) -> str:
    return f"certificado-{slugify(certificate.holder_name)[:60] or 'participante'}-{certificate.code[:6]}.pdf"


def certificate_pdf(certificate: Certificate, *, signers: list[dict[str, str]]) -> bytes:
    with translation.override("es"):
        return render_pdf(
            "certificates/print/certificate.html",
            {
                "certificate": certificate,
                "qr": qr_svg(certificate.verification_url),
                "signers": signers,
            },
        )


def certificates_zip(certificates: Iterable[Certificate]) -> bytes:
    """A ZIP with the PDF of each certificate (those that have one), under its file name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            if not certificate.file:
                continue
            with certificate.file.open("rb") as pdf:
                archive.writestr(certificate.file_name, pdf.read())
    return buffer.getvalue()
