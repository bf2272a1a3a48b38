"""Reading an uploaded CSV or XLSX file (as Google Forms exports it) into a dataset whose
headers are the canonical column names the resources know."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, cast

import tablib
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from rial_site.uploads import UNREADABLE_UPLOAD, check_upload

from ..models import SurveyAspect

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # rows under the header
MAX_COLUMNS = 200  # a Google Forms export has a few dozen
MAX_XLSX_PART_BYTES = 16 * 1024 * 1024  # expanded size of an XLSX part that openpyxl reads whole


def plain(text) -> str:
    """Lower case, without accents and with single spaces: how headers and names are compared."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


# canonical column -> words that identify it in a Google Forms header (plain, lower case)
HEADER_WORDS = {
    "submitted_at": ("marca temporal", "timestamp", "fecha y hora"),
    "document_number": ("dni", "documento"),
    "email": ("correo", "email", "e-mail"),
    "full_name": ("nombre", "name"),
    "region": ("region", "g/drtpe", "drtpe"),
    "position": ("cargo", "puesto", "position"),
    "profile": ("perfil", "profile"),
    "status": ("asistencia", "estado", "attendance", "status"),
    "clarity": ("clar",),
    "usefulness": ("util", "useful"),
    "materials": ("material",),
    "facilitator": ("facilitador", "expositor", "ponente", "facilitator", "speaker"),
    "applicability": ("aplica", "applica"),
    "comments": ("comentario", "sugerencia", "observacion", "comment", "suggestion"),
}

# canonical column -> the name users read in messages about it
COLUMN_LABELS = {
    "full_name": gettext_lazy("Nombres y apellidos"),
    "region": gettext_lazy("Región"),
    "submitted_at": gettext_lazy("Marca temporal"),
    **{aspect.value: aspect.label for aspect in SurveyAspect},
    "document_number": gettext_lazy("DNI"),
    "email": gettext_lazy("Correo electrónico"),
    "position": gettext_lazy("Cargo"),
    "comments": gettext_lazy("Comentarios"),
}


def canonical_header(header: str) -> str | None:
    text = plain(header)
    for canonical, words in HEADER_WORDS.items():
        if any(word in text for word in words):
            return canonical
    return None


def _too_many_rows() -> ValidationError:
    return ValidationError(_("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})


def _unreadable() -> ValidationError:
    return ValidationError(_("No se pudo leer el archivo: no es un CSV (UTF-8) o XLSX válido."))


def check_xlsx_archive(uploaded: File) -> None:
    """Hold the XLSX to the archive bounds of every uploaded document (rial_site.uploads:
    member count, compression ratio, total expanded size, sizes declared checked against the
    bytes inflated, no active content, the antivirus scan) before openpyxl opens it, and hold
    the parts that openpyxl reads whole (shared strings, styles, the workbook) to
    MAX_XLSX_PART_BYTES: only the worksheets are read as a stream. An archive that is not a
    workbook or is damaged gets the importer's own message; the others keep theirs."""
    try:
        check_upload(uploaded)
    except ValidationError as error:
        if error.code == UNREADABLE_UPLOAD:
            raise _unreadable() from error
        raise
    uploaded.seek(0)
    with zipfile.ZipFile(uploaded) as archive:  # sizes already checked against the bytes inflated
        for member in archive.infolist():
            if not member.filename.startswith("xl/worksheets/") and member.file_size > MAX_XLSX_PART_BYTES:
                raise ValidationError(
                    _(
                        "El archivo tiene una parte interna de más de %(max)s; no parece una exportación de Google Forms."
                    )
                    % {"max": filesizeformat(MAX_XLSX_PART_BYTES)}
                )
    uploaded.seek(0)


def _bounded(rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The header row and at most MAX_ROWS rows, read one at a time from `rows`: reading stops
    (ValidationError) at the first row past the limit or past MAX_COLUMNS, whatever the file
    declares about its size."""
    table: list[list[Any]] = []
    for row in rows:
        values = list(row)
        while values and values[-1] is None:  # trailing empty cells (only formatted)
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise ValidationError(_("El archivo tiene más de %(max)s columnas.") % {"max": MAX_COLUMNS})
        table.append(values)
        if len(table) > MAX_ROWS + 1:
            raise _too_many_rows()
    return table


def _xlsx_rows(uploaded: File) -> list[list[Any]]:
    """The rows of the active sheet, parsed as a stream (openpyxl's read-only mode) and only as
    far as the row limit. The sheet's declared dimension is ignored: it may lie both ways (a
    small range over 100,000 rows, or a huge one over a few), so every row is as wide as its
    cells and the table is made rectangular here, padded with None like a sheet whose
    dimension is right."""
    book = load_workbook(uploaded, read_only=True, data_only=True)
    try:
        sheet = book.active
        if not isinstance(sheet, ReadOnlyWorksheet):
            raise _unreadable()  # the active sheet is a chart
        sheet.reset_dimensions()
        table = _bounded(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    width = max((len(row) for row in table), default=0)
    return [row + [None] * (width - len(row)) for row in table]


def _csv_rows(uploaded: File) -> list[list[Any]]:
    """The rows of a CSV (UTF-8, with or without BOM), read only as far as the row limit. Like
    tablib: the first line is the header row, blank lines after it are skipped and short rows
    are padded with empty strings."""
    # Lines end at "\n" only, as when tablib read the decoded text (a bare "\r" is no line end).
    text = io.TextIOWrapper(cast(BinaryIO, uploaded.file), encoding="utf-8-sig", newline="\n")
    try:
        table = _bounded(row for number, row in enumerate(csv.reader(text)) if row or number == 0)
    finally:
        text.detach()
    width = len(table[0]) if table else 0
    return [table[0]] + [row + [""] * (width - len(row)) for row in table[1:]] if table else []


def read_table(uploaded: File) -> tablib.Dataset:
    """Read a CSV or XLSX upload into a dataset whose headers are the canonical names.

    The file is read as a stream and reading stops at the row limit, so a file of a million
    rows costs no more than one of MAX_ROWS; an XLSX passes the archive bounds of every upload
    first (a zip bomb is refused without being expanded)."""
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pesa más de 5 MB."))
    is_xlsx = name.endswith(".xlsx")
    if not is_xlsx and not name.endswith(".csv"):
        raise ValidationError(_("Solo se aceptan archivos CSV o XLSX."))
    uploaded.seek(0)
    try:
        if is_xlsx:
            if not uploaded.read(4) == b"PK\x03\x04":
                raise _unreadable()
            check_xlsx_archive(uploaded)
            rows = _xlsx_rows(uploaded)
        else:
            rows = _csv_rows(uploaded)
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = rows[0]
            for row in rows[1:]:
                dataset.append(row)
    except ValidationError:
        raise
    except Exception as error:  # openpyxl, zipfile, csv and tablib raise their own errors for broken files
        raise _unreadable() from error
    finally:
        uploaded.seek(0)
    if not dataset.headers:
        raise ValidationError(_("El archivo no tiene fila de encabezados."))
    headers: list[str] = []
    for header in dataset.headers:
        canonical = canonical_header(header)
        headers.append(canonical if canonical and canonical not in headers else f"ignored:{header}")
    dataset.headers = headers
    return dataset
