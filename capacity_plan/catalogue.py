"""The monthly catalogue as files to send to the regions: PDF (WeasyPrint, the print templates'
style) and XLSX (openpyxl). Both are drawn from a selectors.Catalogue, so they list exactly what
the page shows."""

import io

from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from reports.rendering import render_pdf

from .selectors import Catalogue

CATALOGUE_LANGUAGE = "es"  # sent to the regional directorates, in Spanish whatever the reader's UI
TEMPLATE_NAME = "reports/print/catalogue.html"
# A month's catalogue is rendered while the user waits (a few pages); more rows than this go to
# the spreadsheet, or a region's or UO's catalogue.
PDF_MAX_ACTIONS = 300


def catalogue_title(catalogue: Catalogue) -> str:
    title = _("Catálogo de acciones formativas · %(month)s") % {
        "month": formats.date_format(catalogue.month, "F Y").capitalize()
    }
    parts = [title]
    if catalogue.region:
        parts.append(str(catalogue.region))
    if catalogue.unit:
        parts.append(catalogue.unit.acronym)
    return " · ".join(parts)


def file_name(catalogue: Catalogue, extension: str) -> str:
    """«catalogo-pfc-2025-12-cusco-odes.pdf»."""
    parts = ["catalogo-pfc", f"{catalogue.month:%Y-%m}"]
    parts += [slugify(str(catalogue.region))] if catalogue.region else []
    parts += [slugify(catalogue.unit.acronym)] if catalogue.unit else []
    return "-".join(parts) + "." + extension


def catalogue_pdf(catalogue: Catalogue) -> bytes:
    with translation.override(CATALOGUE_LANGUAGE):
        return render_pdf(TEMPLATE_NAME, {"catalogue": catalogue, "title": catalogue_title(catalogue)})


def catalogue_xlsx(catalogue: Catalogue) -> bytes:
    """One sheet: a title row, then one row per action with real dates and numbers."""
    with translation.override(CATALOGUE_LANGUAGE):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None  # a new workbook has its sheet
        sheet.title = f"{catalogue.month:%Y-%m}"
        sheet.append([catalogue_title(catalogue)])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([])
        header = [
            _("UO"),
            _("Unidad orgánica"),
            _("Acción formativa"),
            _("Tipo"),
            _("Temática"),
            _("Inicio"),
            _("Fin"),
            _("Estado"),
            _("Programada originalmente"),
            _("Modalidad"),
            _("Horas"),
            _("Regiones destinatarias"),
        ]
        sheet.append(header)
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for unit, actions in catalogue.units.items():
            for action in actions:
                sheet.append(
                    [
                        unit.acronym,
                        unit.name,
                        action.title,
                        action.get_kind_display(),
                        str(action.theme) if action.theme else "",
                        action.planned_start,
                        action.planned_end,
                        action.get_status_display(),
                        action.original_start if action.was_rescheduled else None,
                        action.get_modality_display(),
                        action.hours,
                        ", ".join(str(region) for region in action.target_regions.all()),
                    ]
                )
        for row in sheet.iter_rows(min_row=4):
            for cell in (row[5], row[6], row[8]):
                cell.number_format = "DD/MM/YYYY"
            row[2].alignment = Alignment(wrap_text=True, vertical="top")
        for column, width in zip("ABCDEFGHIJKL", (8, 30, 50, 16, 24, 12, 12, 14, 14, 12, 8, 40), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A4"
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()
