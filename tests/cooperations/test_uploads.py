import hashlib
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from cooperations.models import Deliverable, DeliverableVersion
from tests.files import ELF_BYTES, PDF_BYTES, docx, docx_bytes, odt_bytes, upload
from tests.forms import with_key

pytestmark = pytest.mark.django_db


def new_deliverable(client, world, **fields):
    data = {
        "kind": "work_plan",
        "title": "Plan de Trabajo SOVIO",
        "institution": world.peru.pk,
        "due_date": "",
        "note": "primera versión",
        **fields,
    }
    return client.post(reverse("cooperations:deliverable_create", args=[world.cooperation.pk]), with_key(data))


def test_a_focal_point_uploads_a_work_plan_and_later_a_second_version(world, client_for):
    client = client_for(world.users["focal_requesting"])
    response = new_deliverable(client, world, file=docx("Plan de trabajo v1.docx", "uno"))
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(title="Plan de Trabajo SOVIO")
    upload_url = reverse("cooperations:deliverable_version_upload", args=[deliverable.pk])
    assert (
        client.post(upload_url, with_key({"file": docx("Plan v2.docx", "dos"), "note": "con comentarios"})).status_code
        == 302
    )

    first, second = deliverable.versions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.original_name == "Plan de trabajo v1.docx"
    assert first.sha256 == hashlib.sha256(docx_bytes("uno")).hexdigest()
    assert first.file.name.startswith("private/") and " " not in first.file.name.rsplit("/", 1)[-1]
    old = client.get(reverse("cooperations:version_download", args=[first.pk]))
    assert old.status_code == 200
    assert b"".join(old.streaming_content) == docx_bytes("uno")
    assert old["Content-Disposition"].startswith("attachment;")
    assert old["X-Content-Type-Options"] == "nosniff"


def test_versions_are_immutable(world):
    with pytest.raises(ValueError):
        world.version.save()
    with pytest.raises(ValueError):
        world.version.delete()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("plan.docx", ELF_BYTES), "no corresponde a un documento DOCX"),
        (upload("informe.pdf", docx_bytes()), "no corresponde a un documento PDF"),
        (upload("programa.exe", ELF_BYTES), "Solo se aceptan documentos"),
        (upload("plan.odt", docx_bytes()), "no corresponde a un documento ODT"),
        (upload("roto.docx", b"PK\x03\x04" + b"\x00" * 50), "dañado"),
        (upload("vacio.pdf", b""), "vacío"),
    ],
)
def test_uploads_are_checked_by_their_real_content(world, client_for, file, message):
    client = client_for(world.users["focal_requesting"])
    response = new_deliverable(client, world, file=file, title="Título que no se pierde")
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'value="Título que no se pierde"' in body
    assert not Deliverable.objects.filter(title="Título que no se pierde").exists()


def test_a_file_over_the_limit_is_refused_and_the_form_keeps_the_note(world, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    response = client.post(
        url, with_key({"file": upload("grande.pdf", PDF_BYTES + b"0" * 2000), "note": "nota escrita"})
    )
    body = response.content.decode()
    assert "el máximo es 1,0" in body
    assert 'value="nota escrita"' in body
    assert world.deliverable.versions.count() == 1


@pytest.fixture
def bytes_written_to_temporary_files(monkeypatch, settings, tmp_path):
    """Uploads too big for memory go to temporary files (in tmp_path/upload-temp): count what is written."""
    (tmp_path / "upload-temp").mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-temp")
    written = []

    def counting_write(self):
        def write(data):
            written.append(len(data))
            return self.file.write(data)

        return write

    monkeypatch.setattr(TemporaryUploadedFile, "write", property(counting_write))
    return written


def test_an_upload_over_the_limit_stops_being_stored_while_it_streams_in(
    world, client_for, settings, tmp_path, bytes_written_to_temporary_files
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    big = upload("grande.pdf", PDF_BYTES + b"0" * (3 * 1024 * 1024 - len(PDF_BYTES)))
    assert 3 * 1024 * 1024 > settings.FILE_UPLOAD_MAX_MEMORY_SIZE  # so it streams to a temporary file
    response = client.post(url, with_key({"file": big, "note": "nota escrita"}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "«grande.pdf» pesa 3,0" in body and "el máximo es 1,0" in body
    assert 'value="nota escrita"' in body
    assert world.deliverable.versions.count() == 1
    assert sum(bytes_written_to_temporary_files) <= settings.UPLOAD_MAX_BYTES
    assert list((tmp_path / "upload-temp").iterdir()) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(world, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    response = client.post(
        url, with_key({"file": upload("enorme.pdf", PDF_BYTES + b"0" * (2 * 1024 * 1024)), "note": ""})
    )
    assert response.status_code == 400
    assert world.deliverable.versions.count() == 1


def test_an_upload_under_the_limit_but_too_big_for_memory_is_stored_whole(
    world, client_for, settings, bytes_written_to_temporary_files
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/foto.jpg", os.urandom(3 * 1024 * 1024))
    content = buffer.getvalue()
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    response = client.post(url, with_key({"file": upload("con-foto.docx", content), "note": ""}))
    assert response.status_code == 302
    version = world.deliverable.versions.get(number=2)
    assert version.size == len(content)
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert sum(bytes_written_to_temporary_files) == len(content)


@pytest.mark.parametrize("file", [upload("acta.pdf", PDF_BYTES), upload("notas.odt", odt_bytes()), docx()])
def test_accepted_document_types(world, client_for, file):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    assert client.post(url, with_key({"file": file, "note": ""})).status_code == 302
    assert DeliverableVersion.objects.filter(deliverable=world.deliverable).count() == 2


def test_a_focal_point_cannot_register_a_deliverable_for_the_other_institution(world, client_for):
    client = client_for(world.users["focal_requesting"])
    response = new_deliverable(client, world, institution=world.paraguay.pk, file=docx())
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.content.decode()
    assert not Deliverable.objects.filter(title="Plan de Trabajo SOVIO").exists()


def test_uploaded_files_are_not_reachable_through_a_public_url(world, client):
    assert not world.version.file.url.startswith("/static/")
    assert client.get(world.version.file.url).status_code == 404
