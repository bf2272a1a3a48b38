"""Small real documents for upload tests, built in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A Google Forms export of the satisfaction survey, as ODES downloads it.
SURVEY_HEADERS = [
    "Marca temporal",
    "DNI",
    "Región",
    "¿La exposición fue clara? (Claridad)",
    "¿Qué tan útil le resultó? (Utilidad)",
    "Calidad de los materiales",
    "Desempeño del facilitador",
    "¿Podrá aplicarlo en su trabajo? (Aplicabilidad)",
    "Comentarios y sugerencias",
]


def _member(name: str) -> zipfile.ZipInfo:
    """A member with a fixed timestamp: the same text always makes the same bytes (and hash),
    whichever second the test runs in."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def docx_bytes(text: str = "Plan de Trabajo") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            _member("[Content_Types].xml"),
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(_member("_rels/.rels"), "<Relationships/>")
        archive.writestr(
            _member("word/document.xml"),
            f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx_bytes(headers, rows) -> bytes:
    """A one-sheet workbook: the header row, then the rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def docx(name: str = "plan-de-trabajo.docx", text: str = "Plan de Trabajo") -> SimpleUploadedFile:
    return upload(name, docx_bytes(text), DOCX_MIME)
