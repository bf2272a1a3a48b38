"""The importers against files built to exhaust the server: many rows, a sheet dimension that
lies, very wide rows, and XLSX zip bombs. A file is read as a stream and reading stops at the
limit (asserted by counting the rows parsed and the memory used, never by the clock); an XLSX
passes the archive bounds of every upload (rial_site.uploads) before openpyxl opens it."""

import io
import os
import re
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl.worksheet._reader import WorkSheetParser

from capacity_plan.imports import MAX_ROWS, files, read_table
from capacity_plan.models import ImportPreview
from tests.archives import peak_memory_of, raw_zip, zeros_member
from tests.files import SURVEY_HEADERS, xlsx_bytes

MiB = 1024 * 1024
TOO_MANY_ROWS = f"El archivo tiene más de {MAX_ROWS} filas."
SHEET = "xl/worksheets/sheet1.xml"


def members_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_with_rows(count: int, *, dimension: str | None = None, gap_to: int | None = None) -> bytes:
    """A real workbook (openpyxl's parts) whose sheet holds a header and `count` one-cell rows,
    written as XML directly (fast), with the dimension it declares (the true one by default)
    and, with gap_to, one last row at that row number after nothing."""
    members = members_of(xlsx_bytes(["DNI"], [["1"]]))
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>DNI</t></is></c></row>']
    rows += [f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, count + 2)]
    last = count + 1
    if gap_to:
        rows.append(f'<row r="{gap_to}"><c r="A{gap_to}"><v>1</v></c></row>')
        last = gap_to
    members[SHEET] = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension or f"A1:A{last}"}"/><sheetData>{"".join(rows)}</sheetData></worksheet>'
    ).encode()
    return rezip(members)


@pytest.fixture
def rows_parsed(monkeypatch):
    """How many <row> elements openpyxl parsed."""
    parsed = []
    parse_row = WorkSheetParser.parse_row

    def counting(self, row):
        parsed.append(1)
        return parse_row(self, row)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return parsed


def refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refused:
        read_table(SimpleUploadedFile(name, content))
    return refused.value.messages[0]


@pytest.fixture(scope="module")
def hundred_thousand_rows() -> bytes:
    return xlsx_with_rows(100_000)


def test_an_xlsx_of_100k_tiny_rows_is_refused_after_parsing_only_the_rows_of_the_limit(
    hundred_thousand_rows, rows_parsed
):
    assert len(hundred_thousand_rows) < 1 * MiB
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal("respuestas.xlsx", hundred_thousand_rows)))
    assert messages == [TOO_MANY_ROWS]
    assert len(rows_parsed) <= MAX_ROWS + 2  # the header, the limit, the row past it
    assert peak < 16 * MiB


def test_an_xlsx_whose_dimension_claims_two_rows_is_read_to_its_real_end(rows_parsed):
    assert refusal("respuestas.xlsx", xlsx_with_rows(MAX_ROWS + 1, dimension="A1:A2")) == TOO_MANY_ROWS
    assert len(rows_parsed) == MAX_ROWS + 2


def test_an_xlsx_that_jumps_to_its_last_row_counts_the_rows_between_without_building_them(rows_parsed):
    content = xlsx_with_rows(2, gap_to=1_048_576)
    peak = peak_memory_of(lambda: refusal("respuestas.xlsx", content))
    assert refusal("respuestas.xlsx", content) == TOO_MANY_ROWS
    assert peak < 8 * MiB


def test_an_xlsx_whose_dimension_claims_every_column_pads_rows_only_to_their_cells():
    content = xlsx_with_rows(3, dimension="A1:XFD4")
    dataset = read_table(SimpleUploadedFile("registro.xlsx", content))
    assert dataset.headers == ["document_number"] and dataset.width == 1 and len(dataset) == 3


def test_rows_wider_than_any_form_export_are_refused():
    wide = [f"Pregunta {n}" for n in range(files.MAX_COLUMNS + 1)]
    assert refusal("respuestas.xlsx", xlsx_bytes(wide, [])) == f"El archivo tiene más de {files.MAX_COLUMNS} columnas."
    csv_text = ",".join(wide) + "\n"
    assert refusal("registro.csv", csv_text.encode()) == f"El archivo tiene más de {files.MAX_COLUMNS} columnas."


def test_a_csv_of_100k_rows_is_refused_after_reading_only_the_rows_of_the_limit(monkeypatch):
    read = []
    reader = files.csv.reader

    def counting(*args, **kwargs):
        for row in reader(*args, **kwargs):
            read.append(1)
            yield row

    monkeypatch.setattr(files.csv, "reader", counting)
    content = ("DNI\n" + "1\n" * 100_000).encode()
    assert refusal("registro.csv", content) == TOO_MANY_ROWS
    assert len(read) == MAX_ROWS + 2


def test_a_file_of_exactly_the_limit_is_read():
    content = xlsx_with_rows(MAX_ROWS)
    assert len(read_table(SimpleUploadedFile("registro.xlsx", content))) == MAX_ROWS
    text = ("DNI\n" + "1\n" * MAX_ROWS).encode()
    assert len(read_table(SimpleUploadedFile("registro.csv", text))) == MAX_ROWS


# --- zip bombs --------------------------------------------------------------------------------------


def xlsx_bomb() -> bytes:
    """A valid workbook that also carries a member expanding to 1 GiB (about 1 MB here), in a
    part openpyxl never reads: before the archive bounds it was stashed and imported."""
    good = members_of(xlsx_bytes(SURVEY_HEADERS, []))
    entries = [(name, zipfile.ZIP_STORED, zlib.crc32(data), data, len(data)) for name, data in good.items()]
    return raw_zip([*entries, zeros_member("xl/media/image1.png", 1024)])


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened the file")

    monkeypatch.setattr(files, "load_workbook", refuse)


def test_an_xlsx_bomb_is_refused_before_openpyxl_opens_it_and_without_expanding_it(openpyxl_never_opens):
    bomb = xlsx_bomb()
    assert len(bomb) < 2 * MiB
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal("respuestas.xlsx", bomb)))
    assert re.fullmatch(
        r"«respuestas\.xlsx» (está comprimido de forma anómala|ocupa más de .* una vez descomprimido).*", messages[0]
    )
    assert peak < 8 * MiB


def test_an_xlsx_whose_shared_strings_expand_beyond_what_openpyxl_should_hold_is_refused(openpyxl_never_opens):
    members = members_of(xlsx_bytes(SURVEY_HEADERS, []))
    # 17 MB of random a/b: it compresses about 7 times, under the ratio cap and the 5 MB limit.
    noise = os.urandom(files.MAX_XLSX_PART_BYTES + MiB).translate(b"ab" * 128)
    members["xl/sharedStrings.xml"] = b"<sst><si><t>" + noise + b"</t></si></sst>"
    content = rezip(members)
    assert len(content) < files.MAX_IMPORT_BYTES
    assert refusal("respuestas.xlsx", content).startswith("El archivo tiene una parte interna de más de 16")


def test_a_damaged_xlsx_keeps_the_importers_message():
    content = xlsx_bytes(SURVEY_HEADERS, [])
    assert refusal("respuestas.xlsx", content[: len(content) // 2]) == (
        "No se pudo leer el archivo: no es un CSV (UTF-8) o XLSX válido."
    )


@pytest.mark.django_db
def test_the_import_page_refuses_an_xlsx_bomb_and_stashes_nothing(pfc, client_for):
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    response = client_for("odes").post(url, {"file": SimpleUploadedFile("respuestas.xlsx", xlsx_bomb())})
    assert response.status_code == 200
    assert "«respuestas.xlsx»" in response.content.decode() and response.context["report"] is None
    assert not ImportPreview.objects.exists()


def test_a_csv_is_read_as_before_blank_lines_skipped_short_rows_padded_header_first():
    dataset = read_table(SimpleUploadedFile("registro.csv", "\ufeffDNI,Región\n\n40000001\n40000002,Cusco\n".encode()))
    assert dataset.headers == ["document_number", "region"]
    assert list(dataset) == [("40000001", ""), ("40000002", "Cusco")]
    assert refusal("registro.csv", b"\nDNI\n1\n") == "El archivo no tiene fila de encabezados."
