"""Writing rows to CSV and XLSX, streaming: each row is written as it comes, so a file of any
length costs the memory of one row (openpyxl in write-only mode; the csv module for CSV).

Cell values arrive as Python values (exports.resources gives them native types): text, numbers
(int, Decimal, float), dates, datetimes (already in the country's zone) and booleans.

- XLSX: numbers stay numbers, dates and datetimes are date cells shown dd/mm/aaaa (hh:mm),
  booleans read «Sí» / «No».
- CSV (UTF-8 with a byte-order mark, so Excel reads the accents; comma-separated): dates as
  ISO 8601 (2025-09-18, 2025-09-18 15:30), numbers with a point, as Power BI and Excel read them.

Formula injection: a text that starts with = + - @ (or a tab or carriage return, which some
spreadsheets skip before looking for one) would be run as a formula by the spreadsheet that
opens the file. Such a text is written with a leading apostrophe (OWASP's advice), in both
formats, so it is shown as typed and never evaluated.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

Row = Sequence[Any]
Progress = Callable[[int], None]


def neutralised(text: str) -> str:
    """The text, made inert if a spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _yes_no(value: bool) -> str:
    return _("Sí") if value else _("No")


def csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value
    return neutralised(str(value))


def write_csv(stream: IO[str], headers: Sequence[str], rows: Iterable[Row], progress: Progress | None = None) -> int:
    """Write the header and the rows to a text stream; returns how many rows."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow([neutralised(str(header)) for header in headers])
    count = 0
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
        count += 1
        if progress is not None:
            progress(count)
    return count


class _XlsxCells:
    """Turns a row of values into write-only cells (dates formatted, text made inert)."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def cell(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, datetime.datetime):
            cell = WriteOnlyCell(self.sheet, value=value.replace(tzinfo=None))
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, int | float | Decimal):
            return value
        # Control characters XML cannot hold are dropped (openpyxl refuses them).
        return neutralised(ILLEGAL_CHARACTERS_RE.sub("", str(value)))

    def header(self, value: str) -> Any:
        cell = WriteOnlyCell(self.sheet, value=self.cell(str(value)))
        cell.font = Font(bold=True)
        return cell


def write_xlsx(
    target: str | IO[bytes],
    headers: Sequence[str],
    rows: Iterable[Row],
    *,
    sheet_title: str,
    progress: Progress | None = None,
) -> int:
    """Write a workbook of one sheet (header frozen, then the rows) to a path or binary stream;
    returns how many rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    cells = _XlsxCells(sheet)
    sheet.append([cells.header(header) for header in headers])
    count = 0
    for row in rows:
        sheet.append([cells.cell(value) for value in row])
        count += 1
        if progress is not None:
            progress(count)
    workbook.save(target)
    return count


def csv_bytes(headers: Sequence[str], rows: Iterable[Row]) -> bytes:
    stream = io.StringIO()
    write_csv(stream, headers, rows)
    return stream.getvalue().encode("utf-8")


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Row], *, sheet_title: str) -> bytes:
    stream = io.BytesIO()
    write_xlsx(stream, headers, rows, sheet_title=sheet_title)
    return stream.getvalue()
