"""Reading a ranking's values from an XLSX file (docs/ranking-regional-ejemplo.xlsx shows the
columns): all rows or none. Every row is checked and every error is reported with its row
number; the caller writes nothing unless the whole file is valid.

Columns (first row; order free, accents and case ignored): «Región» (required), «Cumplimiento de
metas (%)», «Esfuerzo adicional (%)», «Ejecución financiera SUNAFIL (%)», «Observación». Values
are percentages from 0 to 100 (a cell formatted as percentage, 0.855, is read as 85.5); an
empty cell is a missing value (the ranking's method says how it counts).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from capacity_plan.imports.files import MAX_IMPORT_BYTES, check_xlsx_archive, plain
from capacity_plan.models import Region

from .models import Dimension

MAX_ROWS = 200  # 25 regions; anything far beyond is not a ranking file

# column -> words that identify its header (plain text)
HEADER_WORDS = {
    "region": ("region", "g/drtpe", "drtpe"),
    Dimension.GOALS.value: ("cumplimiento", "metas programadas", "dimension 1"),
    Dimension.ADDITIONAL.value: ("esfuerzo", "adicional", "dimension 2"),
    Dimension.FINANCIAL.value: ("financ", "sunafil", "dimension 3"),
    "note": ("observacion", "nota", "comentario"),
}
COLUMN_LABELS = {
    "region": gettext_lazy("Región"),
    Dimension.GOALS.value: gettext_lazy("Cumplimiento de metas (%)"),
    Dimension.ADDITIONAL.value: gettext_lazy("Esfuerzo adicional (%)"),
    Dimension.FINANCIAL.value: gettext_lazy("Ejecución financiera SUNAFIL (%)"),
    "note": gettext_lazy("Observación"),
}
VALUE_COLUMNS = (Dimension.GOALS.value, Dimension.ADDITIONAL.value, Dimension.FINANCIAL.value)


@dataclass
class RowError:
    row: int  # the spreadsheet's row number
    message: str


@dataclass
class ImportResult:
    values: dict[int, dict[str, Any]] = field(default_factory=dict)  # region id -> values
    errors: list[RowError] = field(default_factory=list)
    region_names: dict[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.values)


def _column_of(header: Any) -> str | None:
    text = plain(header)
    for column, words in HEADER_WORDS.items():
        if any(word in text for word in words):
            return column
    return None


def _rows(uploaded: File) -> list[tuple[Any, ...]]:
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pesa más de 5 MB."))
    if not name.endswith(".xlsx"):
        raise ValidationError(_("Solo se aceptan archivos XLSX."))
    uploaded.seek(0)
    if uploaded.read(4) != b"PK\x03\x04":
        raise ValidationError(_("No se pudo leer el archivo: no es un XLSX válido."))
    check_xlsx_archive(uploaded)
    try:
        book = load_workbook(uploaded, read_only=True, data_only=True)
        try:
            sheet = book.active
            if not isinstance(sheet, ReadOnlyWorksheet):
                raise ValidationError(_("No se pudo leer el archivo: no es un XLSX válido."))
            sheet.reset_dimensions()
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(tuple(row))
                if len(rows) > MAX_ROWS + 1:
                    raise ValidationError(_("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})
        finally:
            book.close()
    except ValidationError:
        raise
    except Exception as error:  # openpyxl and zipfile raise their own errors for broken files
        raise ValidationError(_("No se pudo leer el archivo: no es un XLSX válido.")) from error
    finally:
        uploaded.seek(0)
    return rows


def _percent(value: Any, percent_format: bool) -> Decimal:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if percent_format:
            number *= 100
    else:
        text = str(value).strip().replace("%", "").replace(" ", "").replace(",", ".")
        number = Decimal(text)
    if not number.is_finite():
        raise ValueError
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def read_ranking_file(uploaded: File) -> ImportResult:
    """Every row of the file checked (ValidationError when the file itself cannot be read or
    has no «Región» column)."""
    rows = _rows(uploaded)
    if not rows:
        raise ValidationError(_("El archivo no tiene fila de encabezados."))
    columns: dict[str, int] = {}
    for index, header in enumerate(rows[0]):
        column = _column_of(header)
        if column and column not in columns:
            columns[column] = index
    if "region" not in columns:
        raise ValidationError(_("Falta la columna «Región» en la primera fila."))
    if not any(column in columns for column in VALUE_COLUMNS):
        raise ValidationError(
            _("No hay ninguna columna de valores: %(columns)s.")
            % {"columns": ", ".join(f"«{COLUMN_LABELS[column]}»" for column in VALUE_COLUMNS)}
        )
    regions: dict[str, Region] = {}
    for each in Region.objects.all():
        regions[plain(each.name)] = each
        if each.directorate:
            regions.setdefault(plain(each.directorate), each)
    result = ImportResult()
    seen: dict[int, int] = {}
    percent_format = _looks_like_fractions(rows[1:], columns)
    for number, row in enumerate(rows[1:], start=2):
        cells = {column: (row[index] if index < len(row) else None) for column, index in columns.items()}
        if all(value in (None, "") for value in cells.values()):
            continue  # a blank line
        messages = []
        region = regions.get(plain(cells["region"]))
        if region is None:
            messages.append(_("la región «%(name)s» no es una de las 25 G/DRTPE") % {"name": cells["region"] or ""})
        elif region.pk in seen:
            messages.append(
                _("la región %(name)s ya está en la fila %(row)s") % {"name": region, "row": seen[region.pk]}
            )
        values: dict[str, Any] = {"note": str(cells.get("note") or "").strip()[:500]}
        for column in VALUE_COLUMNS:
            raw = cells.get(column)
            if raw in (None, ""):
                values[column] = None
                continue
            try:
                value = _percent(raw, percent_format)
            except (ValueError, InvalidOperation):
                messages.append(
                    _("«%(column)s» no es un número: %(value)s") % {"column": COLUMN_LABELS[column], "value": raw}
                )
                continue
            if not Decimal(0) <= value <= Decimal(100):
                messages.append(
                    _("«%(column)s» debe estar entre 0 y 100 (dice %(value)s)")
                    % {"column": COLUMN_LABELS[column], "value": raw}
                )
                continue
            values[column] = value
        if messages:
            result.errors.append(RowError(row=number, message="; ".join(messages)))
            continue
        assert region is not None
        seen[region.pk] = number
        result.values[region.pk] = values
        result.region_names[region.pk] = region.name
    if not result.values and not result.errors:
        raise ValidationError(_("El archivo no tiene filas con valores."))
    return result


def _looks_like_fractions(rows: list[tuple[Any, ...]], columns: dict[str, int]) -> bool:
    """Whether the file gives the percentages as fractions (every number at most 1, as a cell
    formatted «%» is stored: 0.855 for 85.5 %)."""
    numbers = [
        row[index]
        for row in rows
        for column, index in columns.items()
        if column in VALUE_COLUMNS and index < len(row) and isinstance(row[index], int | float)
    ]
    return bool(numbers) and all(0 <= number <= 1 for number in numbers) and any(number < 1 for number in numbers)
