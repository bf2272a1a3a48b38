"""Property-based fuzzing of the PFC importers (participants, attendance, survey answers).

Whatever a Google Forms export (or a hand-edited spreadsheet) contains, an import either stores
every row or nothing at all, names the spreadsheet row of every bad row in Spanish, never stores
an answer or an attendance twice when the same file comes back, and never crashes: garbage ends
up as a report with errors (or, for an unreadable file, a ValidationError), never as a 500.

Each generated example runs inside a savepoint that is rolled back, so examples do not see each
other's rows; the `pfc` fixture (seed plan, a workshop, a session, 25 servants) is built once per
test function.
"""

import contextlib
import csv
import datetime
import io
import re

import pytest
import zeal
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from capacity_plan.imports import ImportKind, import_run, read_table
from capacity_plan.models import Attendance, PublicServant, SatisfactionResponse

pytestmark = pytest.mark.django_db

DB_FUZZ = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- files ----------------------------------------------------------------------------------------


class Formula(str):
    """A cell that the XLSX builder writes as a formula (in CSV it is plain text)."""


def xlsx_upload(headers, rows, name="respuestas.xlsx"):
    book = Workbook()
    sheet = book.active
    for number, values in enumerate([headers, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if value is None or value == "":
                continue
            cell.value = value
            if isinstance(value, str) and not isinstance(value, Formula):
                cell.data_type = "s"  # text typed in the form, even when it looks like "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_upload(headers, rows, name="registro.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([["" if value is None else str(value) for value in row] for row in rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


def upload(fmt, headers, rows):
    return xlsx_upload(headers, rows) if fmt == "xlsx" else csv_upload(headers, rows)


# --- the database ---------------------------------------------------------------------------------


def snapshot():
    """Row counts of every table of the PFC (history tables included)."""
    return {
        model._meta.label: model._default_manager.count() for model in apps.get_app_config("capacity_plan").get_models()
    }


@contextlib.contextmanager
def rolled_back():
    """Run one generated example in a savepoint and undo it, whatever happens.

    An importer looks rows up one by one (django-import-export's instance loader, the servant
    upsert) by design; the N+1 guard of the test suite (django-zeal) is for pages, and here it
    would count lookups across all the examples of a test, so it is off inside an example."""
    with zeal.zeal_ignore(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def run(kind, target, user, file):
    """What the import page does: read the upload and preview it (a dry run), then read the
    stashed copy again and confirm (commit). Returns the confirm report, or None when the file
    itself is refused (with a Spanish message)."""
    content = file.read()
    try:
        dataset = read_table(SimpleUploadedFile(file.name, content))
    except ValidationError as error:
        assert_spanish(" ".join(error.messages))
        return None
    before = snapshot()
    preview = import_run(kind=kind, target=target, dataset=dataset, by=user, commit=False)
    assert snapshot() == before, "the preview (dry run) wrote to the database"
    confirm = import_run(
        kind=kind, target=target, dataset=read_table(SimpleUploadedFile(file.name, content)), by=user, commit=True
    )
    assert (preview.valid, preview.errors, preview.new) == (confirm.valid, confirm.errors, confirm.new)
    return confirm


# Messages users may read after an import: ours (capacity_plan/imports/) and Django's own
# validation messages in Spanish, after the column they are about. Anything else (a Python or
# PostgreSQL error in English) is a bug.
COLUMN = re.compile(
    r"^(Nombres y apellidos|Región|Marca temporal|Claridad|Utilidad|Materiales|Facilitador/a|"
    r"Aplicabilidad|DNI|Correo electrónico|Cargo|Comentarios): "
)
SPANISH = [
    re.compile(pattern, re.DOTALL)
    for pattern in (
        r"^Falta el nombre\.$",
        r"^El DNI debe tener exactamente 8 dígitos \(se escribió «.*»\)\.$",
        r"^Falta la región\.$",
        r"^Región desconocida: «.*»\.$",
        r"^Falta la calificación\.$",
        r"^«.*» no es un número del 1 al 5\.$",
        r"^La calificación va de 1 a 5 \(se leyó .*\)\.$",
        r"^Marca temporal no válida: «.*»\.$",
        r"^Marca temporal no válida: «.*» \(la fecha debe estar entre el \d\d/\d\d/\d{4} y el \d\d/\d\d/\d{4}\)\.$",
        r"^Fila duplicada: repite la fila \d+\.$",
        r"^Asistencia desconocida: «.*» \(use Presente, Ausente o Justificado\)\.$",
        r"^Falta la columna «.*»\.$",
        r"^La fila contiene un carácter nulo \(NUL\), que no se puede guardar\.$",
        r"^Asegúrese de que este valor tenga (como máximo|menos de) \d+ caracteres \(tiene \d+\)\.$",
        r"^Introduzca una dirección de correo electrónico válida\.$",
        r"^Este campo no puede estar en blanco\.$",
        r"^Escriba el nombre\.$",
        r"^No se pudo leer el archivo: no es un CSV \(UTF-8\) o XLSX válido\.$",
        r"^El archivo pesa más de 5 MB\.$",
        r"^El archivo no tiene fila de encabezados\.$",
        r"^El archivo tiene más de \d+ filas\.$",
        r"^Solo se aceptan archivos CSV o XLSX\.$",
    )
]


def assert_spanish(message):
    assert any(pattern.match(COLUMN.sub("", message, count=1)) for pattern in SPANISH), (
        f"message not in Spanish / unexpected: {message!r}"
    )


def check_report(report, rows, bad_rows=None):
    """Row-numbered Spanish errors; with known bad rows, exactly those rows are blamed."""
    assert report.total == len(rows)
    for row, message in report.errors:
        assert row is None or 2 <= row <= len(rows) + 1, (row, message)
        assert_spanish(message)
    if bad_rows is not None:
        assert {row for row, _message in report.errors} == {index + 2 for index in bad_rows}, report.errors
        assert report.valid == (not bad_rows)
    if report.valid:
        assert report.new + report.updated + report.skipped == len(rows)


# --- generated cells ------------------------------------------------------------------------------

REGIONS = [
    "Amazonas",
    "Apurímac",
    "Cusco",
    "Huánuco",
    "Junín",
    "La Libertad",
    "Lima Provincias",
    "Madre de Dios",
    "Puno",
    "Piura",
    "San Martín",
    "Áncash",
]
PLAIN = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")
# No control characters: the XLSX format cannot hold them (garbage rows cover them in CSV).
TEXT = st.characters(exclude_categories=("Cs", "Cc"))
TRICKY = st.sampled_from(
    [
        "<script>alert('x')</script>",
        "=1+1",
        "+51 999",
        "-",
        "@SUM(A1)",
        "Ñandú Ñuñoa",
        "O'Higgins; DROP TABLE",
        "张伟",
        "😀",
        "\u200b",
        "ǅ",
        "ß",
        "1e309",
        "NaN",
        "None",
        "10/04/2025",
        "x" * 300,
    ]
)

region_names = st.builds(
    lambda name, form: form(name),
    st.sampled_from(REGIONS),
    st.sampled_from(
        [
            lambda n: n,
            str.upper,
            str.lower,
            lambda n: n.translate(PLAIN),
            lambda n: f"  {n.lower()}  ",
            lambda n: n.replace(" ", "   "),
        ]
    ),
)
names = st.one_of(
    st.text(TEXT, min_size=1, max_size=60),
    st.builds(lambda a, b: f"{a} {b}", TRICKY.filter(lambda t: len(t) < 100), st.text(TEXT, max_size=20)),
).filter(lambda name: name.split() and len(" ".join(name.split())) <= 200)
positions = st.one_of(st.just(""), st.text(TEXT, max_size=60), TRICKY.filter(lambda t: len(t) <= 200))
comments = st.one_of(st.just(""), st.text(TEXT, max_size=200), TRICKY)

PRESENT_WORDS = ["Presente", "PRESENTE", "Asistió", "sí", "Sí", "SI", "", "present", "Yes"]
ABSENT_WORDS = ["Ausente", "no", "NO", "absent"]
JUSTIFIED_WORDS = ["Justificado", "justificada", "Justified", "excused"]
STATUS = {
    **dict.fromkeys(PRESENT_WORDS, "present"),
    **dict.fromkeys(ABSENT_WORDS, "absent"),
    **dict.fromkeys(JUSTIFIED_WORDS, "justified"),
}

# Garbage by the kind of column it lands in (so that it gets past the checks of the other
# columns and reaches the code that reads it), and garbage of any kind anywhere.
nasty_text = st.one_of(
    st.text(max_size=40),
    TRICKY,
    st.sampled_from(
        [
            "a\x00b",
            "\x00",
            "Cus\x00co",
            "41111111\x00",
            "ana\x00@drtpe.gob.pe",
            "\u202eesrever",
            "\ufeffCusco",
            "Cusco\r\nPuno",
            "\t",
            " " * 300,
            "x" * 5000,
        ]
    ),
)
nasty_numbers = st.one_of(
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "Infinity",
            "1e400",
            "1" + "0" * 400,
            10**400,
            "4,0",
            "5.0",
            "0",
            "6",
            "-0",
            "1_0",
            "0x5",
            "٣",
            "³",
            "½",
            "5 ",
            "4.999999999999999999",
            True,
            False,
        ]
    ),
    st.integers(),
    st.integers(min_value=10**15, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
)
nasty_moments = st.one_of(
    st.sampled_from(
        [
            "31/12/9999 23:59:59",
            "31/12/9999 18:00:00",
            "01/01/0999 10:00:00",
            "01/01/0001 00:00:00",
            "29/02/2023 10:00:00",
            "10/04/2025 12:00:00 a. m.",
            "10/04/2025 13:00:00 p. m.",
            "2025-04-10",
            "10/04/2025 10:22 PM GMT+14",
            datetime.datetime(9999, 12, 31, 23, 59),
            datetime.datetime(1900, 1, 1),
            datetime.date(9999, 12, 31),
        ]
    ),
    st.datetimes(min_value=datetime.datetime(1900, 1, 2)),
    st.dates(min_value=datetime.date(1900, 1, 2)),
    st.dates(min_value=datetime.date(1900, 1, 2)).map(lambda d: d.strftime("%d/%m/%Y")),
    st.times(),
)
garbage_cells = st.one_of(
    st.none(),
    st.just(""),
    nasty_text,
    nasty_numbers,
    nasty_moments,
    st.builds(Formula, st.sampled_from(["=1+1", "=A1", '=HYPERLINK("x")', "=1/0"])),
    st.sampled_from(["Cusco", "cusco", "Presente", "41111111", "ana@drtpe.gob.pe", "10/04/2025 10:22:31"]),
)
SURVEY_COLUMN_GARBAGE = [nasty_moments, nasty_text, nasty_text, nasty_text, *[nasty_numbers] * 5, nasty_text]
SERVANT_COLUMN_GARBAGE = [nasty_moments, *[nasty_text] * 6]


def xlsx_safe(value):
    """Garbage as an XLSX can hold it: no control characters (openpyxl refuses them), no NaN, no
    number beyond a double (a 400-digit number can only be text)."""
    if isinstance(value, str) and not isinstance(value, Formula):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, int) and abs(value) > 10**308:
        return str(value)
    return value


# --- participants and attendance ------------------------------------------------------------------

SERVANT_HEADERS = [
    "Marca temporal",
    "Nombres y apellidos",
    "DNI",
    "Correo electrónico",
    "Región",
    "Cargo",
    "Asistencia",
]
UNUSED_DNI = 70000000  # the servants of the `pfc` fixture have DNIs 4xxxxxxx


@st.composite
def servant_row(draw, index, *, bad):
    """A register row for a person nobody else in the file is (DNI or e-mail made from `index`).
    Returns (row, its attendance word, its problem); a bad row breaks exactly one rule."""
    identity = draw(st.sampled_from(["dni", "dni-spaced", "email", "both"]))
    dni = f"{UNUSED_DNI + index}"
    row = {
        "Marca temporal": draw(st.sampled_from(["10/04/2025 09:01:00", "", "ayer"])),
        "Nombres y apellidos": draw(names),
        "DNI": {"dni": dni, "dni-spaced": f" {dni[:4]} {dni[4:]} ", "email": "", "both": dni}[identity],
        "Correo electrónico": f"persona{index}@drtpe.gob.pe" if identity in ("email", "both") else "",
        "Región": draw(region_names),
        "Cargo": draw(positions),
        "Asistencia": draw(st.sampled_from(sorted(STATUS))),
    }
    if bad:
        problem = draw(
            st.sampled_from(["no name", "no region", "unknown region", "bad email", "long dni", "unknown status"])
        )
        if problem == "no name":
            row["Nombres y apellidos"] = draw(st.sampled_from(["", "   ", "\u3000"]))
        elif problem == "no region":
            row["Región"] = ""
        elif problem == "unknown region":
            row["Región"] = draw(
                st.sampled_from(["Narnia", "Atlántida", "<script>", "=1+1", "Lima Metropolitana", "Cusco Cusco", "0"])
            )
        elif problem == "bad email":
            row["Correo electrónico"] = draw(st.sampled_from(["no-es-correo", "a@", "<script>@x", "ana@@drtpe"]))
            row["DNI"] = ""
        elif problem == "long dni":
            row["DNI"] = f"{dni}{dni}"
        elif problem == "unknown status":
            row["Asistencia"] = draw(st.sampled_from(["quizás", "2", "tarde", "=1+1"]))
    return [row[header] for header in SERVANT_HEADERS], row["Asistencia"], problem if bad else None


@st.composite
def servant_tables(draw):
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    bad = draw(st.lists(st.booleans(), min_size=1, max_size=6))
    rows, statuses, problems = [], [], []
    for index, is_bad in enumerate(bad):
        row, status, problem = draw(servant_row(index, bad=is_bad))
        rows.append(row)
        statuses.append(status)
        problems.append(problem)
    return fmt, rows, statuses, problems


@pytest.fixture
def editor(make_user):
    return make_user("odes")


@DB_FUZZ
@given(table=servant_tables())
def test_participants_import_is_all_or_nothing_with_numbered_spanish_errors(pfc, editor, table):
    fmt, rows, _statuses, problems = table
    headers = SERVANT_HEADERS[:-1]  # the participants list has no attendance column
    rows = [row[:-1] for row in rows]
    problems = [None if problem == "unknown status" else problem for problem in problems]
    bad = {index for index, problem in enumerate(problems) if problem}
    with rolled_back():
        before = snapshot()
        confirm = run(ImportKind.PARTICIPANTS, None, editor, upload(fmt, headers, rows))
        assert confirm is not None, "a well-formed file was refused"
        check_report(confirm, rows, bad)
        if bad:
            assert snapshot() == before
        else:
            assert PublicServant.objects.count() == before["capacity_plan.PublicServant"] + len(rows)
            assert confirm.new == len(rows)
            again = run(ImportKind.PARTICIPANTS, None, editor, upload(fmt, headers, rows))
            assert again.valid and again.new == 0, again
            assert PublicServant.objects.count() == before["capacity_plan.PublicServant"] + len(rows)


@DB_FUZZ
@given(table=servant_tables())
def test_attendance_import_is_all_or_nothing_and_reimporting_duplicates_nothing(pfc, editor, table):
    fmt, rows, statuses, problems = table
    bad = {index for index, problem in enumerate(problems) if problem}
    with rolled_back():
        before = snapshot()
        confirm = run(ImportKind.ATTENDANCE, pfc.session, editor, upload(fmt, SERVANT_HEADERS, rows))
        assert confirm is not None, "a well-formed file was refused"
        check_report(confirm, rows, bad)
        if bad:
            assert snapshot() == before
            return
        stored = Attendance.objects.filter(session=pfc.session)
        assert stored.count() == len(rows)
        assert sorted(stored.values_list("status", flat=True)) == sorted(STATUS[s] for s in statuses)
        assert PublicServant.objects.count() == before["capacity_plan.PublicServant"] + len(rows)
        after = snapshot()
        again = run(ImportKind.ATTENDANCE, pfc.session, editor, upload(fmt, SERVANT_HEADERS, rows))
        assert again.valid and again.new == 0 and again.skipped == len(rows), again
        assert snapshot() == after, "re-importing the same register stored something again"


# --- survey answers -------------------------------------------------------------------------------

SURVEY_HEADERS = [
    "Marca temporal",
    "DNI",
    "Correo electrónico",
    "Región",
    "¿La exposición fue clara? (Claridad)",
    "¿Qué tan útil le resultó? (Utilidad)",
    "Calidad de los materiales",
    "Desempeño del facilitador",
    "¿Podrá aplicarlo en su trabajo? (Aplicabilidad)",
    "Comentarios y sugerencias",
]

moments = st.datetimes(min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2030, 12, 31))


@st.composite
def timestamp_cell(draw, fmt, index):
    # a distinct second per row: two answers of one file are never the same answer
    moment = draw(moments).replace(microsecond=0, second=0) + datetime.timedelta(seconds=index)
    style = draw(
        st.sampled_from(["dmy hms", "ymd/ hms", "ymd- hms", "ampm", "gmt"] + (["cell"] if fmt == "xlsx" else []))
    )
    if style == "cell":
        return moment
    if style == "ampm":
        hour = moment.hour % 12 or 12
        return moment.strftime(f"%d/%m/%Y {hour}:%M:%S ") + ("p. m." if moment.hour >= 12 else "a. m.")
    if style == "gmt":
        return moment.strftime("%d/%m/%Y %H:%M:%S GMT-5")
    return moment.strftime(
        {"dmy hms": "%d/%m/%Y %H:%M:%S", "ymd/ hms": "%Y/%m/%d %H:%M:%S", "ymd- hms": "%Y-%m-%d %H:%M:%S"}[style]
    )


rating = st.integers(1, 5).flatmap(lambda n: st.sampled_from([n, str(n), f"{n}.0", f"{n},0", f" {n} ", float(n)]))


@st.composite
def survey_row(draw, fmt, index, *, bad):
    identity = draw(st.sampled_from(["anonymous", "dni", "email"]))
    row = [
        draw(timestamp_cell(fmt, index)),
        f"{UNUSED_DNI + index}" if identity == "dni" else "",
        f"persona{index}@drtpe.gob.pe" if identity == "email" else "",
        draw(region_names) if identity != "anonymous" else draw(st.sampled_from(["", "Narnia"])),
        *draw(st.lists(rating, min_size=5, max_size=5)),
        draw(comments),
    ]
    if bad:
        problem = draw(st.sampled_from(["rating", "timestamp", "region"]))
        if problem == "rating":
            row[4 + draw(st.integers(0, 4))] = draw(
                st.sampled_from(
                    [0, 6, 7, -1, 10**12, "", "cinco", "4.5", "4,5", "inf", "-inf", "nan", "1e400", "=1+1", "<b>5</b>"]
                )
            )
        elif problem == "timestamp":
            row[0] = draw(
                st.sampled_from(
                    ["", "ayer", "32/13/2025 10:00:00", "=NOW()", "2025-02-30", "10/04/2025 25:61:00", "<script>"]
                )
            )
        else:
            row[1], row[3] = row[1] or f"{UNUSED_DNI + index}", draw(st.sampled_from(["", "Narnia", "Lima Metro"]))
    return row


@st.composite
def survey_tables(draw):
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    bad = draw(st.lists(st.booleans(), min_size=1, max_size=6))
    return fmt, [draw(survey_row(fmt, index, bad=is_bad)) for index, is_bad in enumerate(bad)], bad


@DB_FUZZ
@given(table=survey_tables())
def test_survey_import_is_all_or_nothing_and_fingerprints_stop_duplicates(pfc, editor, table):
    fmt, rows, bad_flags = table
    bad = {index for index, is_bad in enumerate(bad_flags) if is_bad}
    with rolled_back():
        before = snapshot()
        confirm = run(ImportKind.SURVEYS, pfc.action, editor, upload(fmt, SURVEY_HEADERS, rows))
        assert confirm is not None, "a well-formed file was refused"
        check_report(confirm, rows, bad)
        if bad:
            assert snapshot() == before
            return
        assert SatisfactionResponse.objects.filter(action=pfc.action).count() == len(rows)
        after = snapshot()
        again = run(ImportKind.SURVEYS, pfc.action, editor, upload(fmt, SURVEY_HEADERS, rows))
        assert again.valid and again.new == 0 and again.skipped == len(rows), again
        assert snapshot() == after, "re-importing the same answers stored something again"


# --- garbage --------------------------------------------------------------------------------------


@st.composite
def garbage_tables(draw, kind):
    """Rows that are good rows with a few cells replaced by garbage, or garbage through and through."""
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    rows = []
    for index in range(draw(st.integers(1, 5))):
        if kind == ImportKind.SURVEYS:
            row = draw(survey_row(fmt, index, bad=False))
        else:
            row = draw(servant_row(index, bad=False))[0]
        if draw(st.integers(0, 9)) == 0:
            row = [draw(garbage_cells) for _cell in row]
        else:
            typed = SURVEY_COLUMN_GARBAGE if kind == ImportKind.SURVEYS else SERVANT_COLUMN_GARBAGE
            for column in draw(st.sets(st.integers(0, len(row) - 1), min_size=1, max_size=2)):
                row[column] = draw(st.one_of(typed[column], garbage_cells))
        rows.append(row)
    if fmt == "xlsx":
        rows = [[xlsx_safe(value) for value in row] for row in rows]
    return fmt, rows


STORED = {
    ImportKind.PARTICIPANTS: PublicServant,
    ImportKind.ATTENDANCE: Attendance,
    ImportKind.SURVEYS: SatisfactionResponse,
}


@settings(DB_FUZZ, max_examples=100)
@given(kind=st.sampled_from([ImportKind.PARTICIPANTS, ImportKind.ATTENDANCE, ImportKind.SURVEYS]), data=st.data())
def test_garbage_cells_never_crash_and_never_store_part_of_a_file(pfc, editor, kind, data):
    headers = SURVEY_HEADERS if kind == ImportKind.SURVEYS else SERVANT_HEADERS
    fmt, rows = data.draw(garbage_tables(kind), label="table")
    target = {ImportKind.PARTICIPANTS: None, ImportKind.ATTENDANCE: pfc.session, ImportKind.SURVEYS: pfc.action}[kind]
    with rolled_back():
        before = snapshot()
        confirm = run(kind, target, editor, upload(fmt, headers, rows))
        if confirm is None:  # the file itself was refused, in Spanish
            assert snapshot() == before
            return
        check_report(confirm, rows)
        if not confirm.valid:
            assert snapshot() == before, confirm.errors
            return
        model = STORED[kind]
        assert model.objects.count() - before[model._meta.label] == confirm.new
        list(model.objects.all())  # what was stored can be shown (read back) again
        after = snapshot()
        again = run(kind, target, editor, upload(fmt, headers, rows))
        assert again.valid and again.new == 0, again
        if kind != ImportKind.PARTICIPANTS:
            assert again.skipped == len(rows), again
            assert snapshot() == after, "re-importing the same file stored something again"


@pytest.mark.parametrize("kind", [ImportKind.PARTICIPANTS, ImportKind.ATTENDANCE])
@pytest.mark.parametrize("column", ["Correo electrónico", "Nombres y apellidos"])
def test_a_nul_in_an_earlier_row_is_reported_on_that_row_while_later_rows_are_read(pfc, editor, kind, column):
    """Found by the fuzz test above on CI: the participants importer reads the identity of every
    row of the file at once, to look the stored servants up in one query; a servant known by
    e-mail (or by name) with a NUL in it, in a row already refused, then reached PostgreSQL
    («PostgreSQL text fields cannot contain NUL») when the next row was read."""
    good = ["10/04/2025 09:01:00", "Ana Quispe", "70000002", "", "Cusco", "", "Presente"]
    bad = ["10/04/2025 09:01:00", "Rosa Mamani", "", "rosa@drtpe.gob.pe", "Puno", "", "Presente"]
    bad[SERVANT_HEADERS.index(column)] = bad[SERVANT_HEADERS.index(column)].replace("a", "a\x00", 1)
    if column == "Nombres y apellidos":
        bad[SERVANT_HEADERS.index("Correo electrónico")] = ""  # known by name and region only
    target = {ImportKind.PARTICIPANTS: None, ImportKind.ATTENDANCE: pfc.session}[kind]
    before = snapshot()
    confirm = run(kind, target, editor, csv_upload(SERVANT_HEADERS, [bad, good]))
    assert confirm.errors == [(2, "La fila contiene un carácter nulo (NUL), que no se puede guardar.")]
    assert snapshot() == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(str.encode),
        st.sampled_from(
            [
                b"PK\x03\x04" + b"\x00" * 40,
                b"\xef\xbb\xbf",
                b"",
                b"\x00\x00",
                "Nombre\n".encode("utf-16"),
                b"Nombre,DNI\n1,2,3\n",
            ]
        ),
    ),
    name=st.sampled_from(["datos.csv", "datos.xlsx", "DATOS.CSV", "datos.pdf", "datos"]),
)
def test_any_uploaded_bytes_are_read_or_refused_in_spanish(content, name):
    try:
        dataset = read_table(SimpleUploadedFile(name, content))
    except ValidationError as error:
        assert_spanish(" ".join(error.messages))
    else:
        assert dataset.headers
