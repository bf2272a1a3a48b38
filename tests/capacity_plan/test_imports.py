"""Google Forms exports in, all or nothing, row by row errors, no duplicates on re-import."""

import datetime
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capacity_plan.models import Attendance, ImportPreview, PublicServant, SatisfactionResponse
from tests.factories import ActionSessionFactory, ServantFactory
from tests.files import SURVEY_HEADERS, xlsx_bytes

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    ["10/04/2025 10:22:31", "41111111", "Cusco", 5, 4, 4, 5, 4, "Muy práctico"],
    ["10/04/2025 10:25:02", "", "", 4, 4, 3, 4, 4, ""],
    ["10/04/2025 10:31:47", "42222222", "puno", 3, 5, 4, 4, 5, "Más casos reales"],
]


def xlsx(headers, rows, name="respuestas.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(headers, rows))


def csv(text, name="registro.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"))


def preview(client, url, file):
    return client.post(url, {"file": file})


def confirm(client, url, response):
    return client.post(url, {"confirm": "1", "token": response.context["token"]}, follow=True)


def test_a_survey_file_with_one_bad_row_saves_nothing_and_says_which_row(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    bad = [*GOOD_ROWS, ["10/04/2025 11:00:00", "43333333", "Piura", 7, 4, 4, 4, 4, ""]]
    response = preview(client, url, xlsx(SURVEY_HEADERS, bad))
    body = response.content.decode()
    assert "El archivo tiene 1 error. No se guardó nada" in body
    assert "Fila 5: Claridad: La calificación va de 1 a 5 (se leyó 7)." in body
    assert (
        SatisfactionResponse.objects.count() == 0
        and PublicServant.objects.filter(document_number="41111111").count() == 0
    )


def test_a_valid_survey_file_is_previewed_then_imported_and_reimporting_duplicates_nothing(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    response = preview(client, url, xlsx(SURVEY_HEADERS, GOOD_ROWS))
    assert "Vista previa: 3 filas válidas (3 nuevas" in response.content.decode()
    assert SatisfactionResponse.objects.count() == 0
    done = confirm(client, url, response)
    assert "Importación terminada: 3 nuevos" in done.content.decode()
    assert SatisfactionResponse.objects.count() == 3
    assert SatisfactionResponse.objects.filter(servant__isnull=True).count() == 1  # anonymous answer
    assert PublicServant.objects.get(document_number="42222222").region.name == "Puno"

    again = preview(client, url, xlsx(SURVEY_HEADERS, GOOD_ROWS))
    assert "3 sin cambios" in again.content.decode()
    confirm(client, url, again)
    assert SatisfactionResponse.objects.count() == 3


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([GOOD_ROWS[0], GOOD_ROWS[0]], "Fila 3: Fila duplicada: repite la fila 2."),
        ([["10/04/2025 10:22:31", "41111111", "Narnia", 5, 4, 4, 5, 4, ""]], "Fila 2: Región desconocida: «Narnia»."),
        ([["ayer", "", "", 5, 4, 4, 5, 4, ""]], "Fila 2: Marca temporal no válida: «ayer»."),
        ([["10/04/2025 10:22:31", "", "", "", 4, 4, 5, 4, ""]], "Fila 2: Claridad: Falta la calificación."),
    ],
)
def test_row_errors_are_reported_in_spanish(pfc, client_for, rows, message):
    response = preview(
        client_for("odes"), reverse("capacity_plan:survey_import", args=[pfc.action.pk]), xlsx(SURVEY_HEADERS, rows)
    )
    assert message in response.content.decode()
    assert SatisfactionResponse.objects.count() == 0


def test_a_file_without_the_rating_columns_is_refused(pfc, client_for):
    response = preview(
        client_for("odes"),
        reverse("capacity_plan:survey_import", args=[pfc.action.pk]),
        csv("Marca temporal,Comentarios\n10/04/2025 10:00:00,hola\n"),
    )
    assert "Falta la columna «Claridad»." in response.content.decode()


@pytest.mark.parametrize(
    "file",
    [
        SimpleUploadedFile("datos.xlsx", b"esto no es un xlsx"),
        SimpleUploadedFile("datos.pdf", b"%PDF-1.4"),
        SimpleUploadedFile("datos.csv", "Nombre\n".encode("utf-16")),
    ],
)
def test_unreadable_files_are_refused(pfc, client_for, file):
    response = preview(client_for("odes"), reverse("capacity_plan:participants_import"), file)
    body = response.content.decode()
    assert "No se pudo leer el archivo" in body or "Solo se aceptan archivos CSV o XLSX." in body


ATTENDANCE_CSV = """Marca temporal,Nombres y apellidos,DNI,Correo electrónico,Región,Cargo
10/04/2025 09:01:00,Ana Quispe Mamani,40000001,ana@drtpe.gob.pe,Cusco,Directora Regional
10/04/2025 09:02:00,Luis Huamán,40000002,,Puno,Especialista
10/04/2025 09:03:00,María Flores,,maria.flores@drtpe.gob.pe,Piura,Especialista
"""


def test_the_attendance_register_import_marks_each_signer_present(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    response = preview(client, url, csv(ATTENDANCE_CSV))
    assert response.context["report"].valid, response.context["report"].errors
    confirm(client, url, response)
    assert Attendance.objects.filter(session=pfc.session, status="present").count() == 3
    confirm(client, url, preview(client, url, csv(ATTENDANCE_CSV)))
    assert Attendance.objects.filter(session=pfc.session).count() == 3
    assert PublicServant.objects.filter(email="maria.flores@drtpe.gob.pe").count() == 1


def test_participants_import_matches_servants_by_dni_and_reports_bad_rows(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:participants_import")
    existing = pfc.servants[0]
    text = (
        "Nombres y apellidos,DNI,Región,Cargo\n"
        f"Nombre Corregido,{existing.document_number},{existing.region.name},Jefe\n"
        "Pedro Ramos,40000009,Lima Provincias,Analista\n"
    )
    stored_name = existing.full_name
    response = preview(client, url, csv(text))
    body = response.content.decode()
    assert "1 nuevas, 1 actualizaciones" in body
    assert f"Fila 2: registrada como «{stored_name}»; el archivo dice «Nombre Corregido»." in body
    confirm(client, url, response)
    existing.refresh_from_db()
    assert (existing.full_name, existing.position) == (stored_name, "Jefe")  # the stored name is kept
    assert PublicServant.objects.get(document_number="40000009").region.name == "Lima Provincias"

    bad = preview(client, url, csv("Nombres y apellidos,Región\n,Cusco\nJuan,Atlántida\n")).content.decode()
    assert "Fila 2: Falta el nombre." in bad
    assert "Fila 3: Región desconocida: «Atlántida»." in bad


def test_a_field_error_names_the_column_it_is_about(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:participants_import")
    long_email = "a" * 250 + "@drtpe.gob.pe"
    text = (
        "Nombres y apellidos,Correo electrónico,Región,Cargo\n"
        f"Rosa Mamani,{long_email},Puno,Analista\n"
        "Ana Quispe,no-es-correo,Cusco,Analista\n"
    )
    page = preview(client, url, csv(text)).content.decode()
    assert re.findall(r"Fila \d+: [^<]*", page) == [
        "Fila 2: Correo electrónico: Asegúrese de que este valor tenga menos de 254 caracteres (tiene 263).",
        "Fila 3: Correo electrónico: Introduzca una dirección de correo electrónico válida.",
    ]
    assert not PublicServant.objects.filter(full_name__in=["Rosa Mamani", "Ana Quispe"]).exists()


def test_a_servant_known_only_by_the_longest_valid_email_is_imported(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:participants_import")
    email = "rosa." + "m" * 236 + "@drtpe.gob.pe"
    assert len(email) == 254  # the longest address an e-mail field takes
    response = preview(client, url, csv(f"Nombres y apellidos,Correo electrónico,Región\nRosa Mamani,{email},Puno\n"))
    assert response.context["report"].valid, response.context["report"].errors
    confirm(client, url, response)
    assert PublicServant.objects.get(email=email).full_name == "Rosa Mamani"


def test_english_google_forms_headers_are_read_too(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    text = "Timestamp,Full name,DNI,Region,Position,Attendance\n10/04/2025 09:01:00,Ana Quispe,40000001,Cusco,Directora,Excused\n"
    confirm(client, url, preview(client, url, csv(text)))
    assert Attendance.objects.get(session=pfc.session).status == "justified"


def test_a_preview_waits_as_a_row_that_expires_and_is_gone_once_confirmed(
    pfc, client_for, django_capture_on_commit_callbacks
):
    client = client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    response = preview(client, url, xlsx(SURVEY_HEADERS, GOOD_ROWS))
    stashed = ImportPreview.objects.get()
    assert (stashed.kind, stashed.target_id, stashed.created_by) == ("encuestas", pfc.action.pk, client.user)
    assert stashed.file.name.startswith("private/imports/") and stashed.file.name.endswith(".xlsx")
    assert stashed.expires_at - stashed.created_at == datetime.timedelta(days=1)
    assert str(stashed.token) == response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, url, response)
    assert SatisfactionResponse.objects.count() == 3
    assert not ImportPreview.objects.exists() and not default_storage.exists(stashed.file.name)


def test_confirming_an_expired_preview_stores_nothing_and_asks_for_the_file_again(
    pfc, client_for, django_capture_on_commit_callbacks
):
    client = client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    response = preview(client, url, xlsx(SURVEY_HEADERS, GOOD_ROWS))
    stashed = ImportPreview.objects.get()
    ImportPreview.objects.update(expires_at=stashed.created_at - datetime.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, url, response)
    assert "La vista previa venció; vuelva a subir el archivo." in done.content.decode()
    assert "Importación terminada" not in done.content.decode()
    assert SatisfactionResponse.objects.count() == 0
    assert not PublicServant.objects.filter(document_number="41111111").exists()
    assert not ImportPreview.objects.exists() and not default_storage.exists(stashed.file.name)


def test_only_the_uploader_can_confirm_their_preview(pfc, client_for):
    uploader, colleague = client_for("odes"), client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    response = preview(uploader, url, xlsx(SURVEY_HEADERS, GOOD_ROWS))
    refused = confirm(colleague, url, response)
    assert "El archivo de la vista previa ya no está disponible; súbalo de nuevo." in refused.content.decode()
    assert SatisfactionResponse.objects.count() == 0
    assert "Importación terminada: 3 nuevos" in confirm(uploader, url, response).content.decode()
    assert SatisfactionResponse.objects.count() == 3


def test_a_preview_is_confirmed_only_on_the_page_it_was_made_for(pfc, client_for):
    client = client_for("odes")
    other_session = ActionSessionFactory(action=pfc.action)
    response = preview(client, reverse("capacity_plan:attendance_import", args=[pfc.session.pk]), csv(ATTENDANCE_CSV))
    for url in (
        reverse("capacity_plan:attendance_import", args=[other_session.pk]),
        reverse("capacity_plan:participants_import"),
    ):
        refused = confirm(client, url, response)
        assert "El archivo de la vista previa ya no está disponible; súbalo de nuevo." in refused.content.decode()
    assert (
        not Attendance.objects.exists() and not PublicServant.objects.filter(email="maria.flores@drtpe.gob.pe").exists()
    )


@pytest.mark.parametrize("token", ["", "../../settings.py", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_or_malformed_token_is_refused(pfc, client_for, token):
    url = reverse("capacity_plan:participants_import")
    refused = client_for("odes").post(url, {"confirm": "1", "token": token}, follow=True)
    assert "El archivo de la vista previa ya no está disponible; súbalo de nuevo." in refused.content.decode()


def test_a_dni_match_with_another_name_is_reported_and_renames_only_when_the_user_ticks_it(pfc, client_for):
    client = client_for("odes")
    known = ServantFactory(full_name="María Condori Apaza", document_number="41234567", region=pfc.regions[0])
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    text = f"Nombres y apellidos,DNI,Región\nMaria Condori,41234567,{known.region.name}\n"
    kept = preview(client, url, csv(text))
    assert "Fila 2: registrada como «María Condori Apaza»; el archivo dice «Maria Condori»." in kept.content.decode()
    known.refresh_from_db()
    assert known.full_name == "María Condori Apaza"  # the preview wrote nothing
    confirm(client, url, kept)
    known.refresh_from_db()
    assert known.full_name == "María Condori Apaza"
    assert Attendance.objects.get(session=pfc.session, servant=known).status == "present"

    renamed = preview(client, url, csv(text))
    client.post(url, {"confirm": "1", "token": renamed.context["token"], "rename": "1"})
    known.refresh_from_db()
    assert known.full_name == "Maria Condori"


def test_the_preview_shows_the_rows_it_will_write_with_their_parsed_values(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    rows = "".join(f"Persona {n:02d},4{n:07d},cusco,Analista,{'no' if n == 3 else ''}\n" for n in range(1, 31))
    response = preview(client, url, csv("Nombres y apellidos,DNI,Región,Cargo,Asistencia\n" + rows))
    body = response.content.decode()
    table = re.search(r'<table[^>]*data-testid="import-preview-rows".*?</table>', body, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>.*?</t[hd]>", table, re.S)]
    assert cells[:6] == ["Fila", "Nombres y apellidos", "DNI", "Región", "Asistencia", "Resultado"]
    assert cells[6:12] == ["2", "Persona 01", "40000001", "Cusco", "Presente", "nueva"]
    assert cells[18:24] == ["4", "Persona 03", "40000003", "Cusco", "Ausente", "nueva"]
    assert "Las primeras 20 filas, como se guardarán (y 10 más)." in body
    assert table.count("<tr>") == 21  # the header and 20 rows
    assert Attendance.objects.filter(session=pfc.session).count() == 0


def test_a_survey_preview_shows_ratings_and_who_answered(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:survey_import", args=[pfc.action.pk])
    body = preview(client, url, xlsx(SURVEY_HEADERS, GOOD_ROWS)).content.decode()
    table = re.search(r'<table[^>]*data-testid="import-preview-rows".*?</table>', body, re.S).group(0)
    assert "10/04/2025 10:22" in table and "Anónima" in table and "Más casos reales" in table


@pytest.mark.parametrize("dni", ["4111111", "411111111", "4111111X"])
def test_an_import_refuses_a_dni_that_is_not_eight_digits(pfc, client_for, dni):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    body = preview(client, url, csv(f"Nombres y apellidos,DNI,Región\nRosa Quispe,{dni},Cusco\n")).content.decode()
    assert f"Fila 2: DNI: El DNI debe tener exactamente 8 dígitos (se escribió «{dni}»)." in body
    participants = reverse("capacity_plan:participants_import")
    body = preview(client, participants, csv(f"Nombres y apellidos,DNI,Región\nRosa Quispe,{dni},Cusco\n"))
    assert f"Fila 2: DNI: El DNI debe tener exactamente 8 dígitos (se escribió «{dni}»)." in body.content.decode()
    assert not PublicServant.objects.filter(full_name="Rosa Quispe").exists()


def test_a_dni_typed_as_a_number_in_an_xlsx_is_read_as_its_digits(pfc, client_for):
    client = client_for("odes")
    url = reverse("capacity_plan:attendance_import", args=[pfc.session.pk])
    response = preview(
        client, url, xlsx(["Nombres y apellidos", "DNI", "Región"], [["Rosa Quispe", 41234567.0, "Cusco"]])
    )
    assert "Vista previa: 1 filas válidas" in response.content.decode()
    confirm(client, url, response)
    assert PublicServant.objects.get(document_number="41234567").full_name == "Rosa Quispe"
