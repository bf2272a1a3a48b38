"""The antivirus hook of check_upload (settings.UPLOAD_SCANNER) and the ClamAV client
rial_site.antivirus.clamd_scan, against a fake clamd speaking INSTREAM on a loopback socket."""

import hashlib
import socket
import struct
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperations.models import Deliverable
from rial_site import antivirus
from rial_site.uploads import InfectedUpload, check_upload
from tests.cooperations.conftest import world  # noqa: F401  (fixture)
from tests.files import ELF_BYTES, PDF_BYTES, docx, upload
from tests.forms import with_key

MARKER = b"EICAR-STANDARD-ANTIVIRUS-" + b"TEST-FILE"  # what the fake daemon "detects"
INFECTED_PDF = PDF_BYTES + b"%" + MARKER + b"\n"
REFUSED = "El archivo no superó el análisis antivirus"


# --- scanners the tests plug in through settings.UPLOAD_SCANNER -------------------------------
scanned: list[bytes] = []


def refuse_as_infected(uploaded):
    raise InfectedUpload("Eicar-Test-Signature")


def crash(uploaded):
    raise RuntimeError("scanner out of order")


def record_and_pass(uploaded):
    scanned.append(uploaded.read())


def files_under(root) -> list[Path]:
    return sorted(path for path in Path(root).rglob("*") if path.is_file())


def post_version(client, world, file, note="nota que no se pierde"):  # noqa: F811
    url = reverse("cooperations:deliverable_version_upload", args=[world.deliverable.pk])
    return client.post(url, with_key({"file": file, "note": note}))


# --- the hook ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_infected_upload_is_refused_in_spanish_keeping_the_form_and_storing_nothing(world, client_for, settings):  # noqa: F811
    settings.UPLOAD_SCANNER = "tests.test_antivirus.refuse_as_infected"
    client = client_for(world.users["focal_requesting"])
    files_before = files_under(settings.MEDIA_ROOT)

    response = post_version(client, world, docx("Plan v2.docx"))

    assert response.status_code == 200
    body = response.content.decode()
    assert f"{REFUSED}: se detectó «Eicar-Test-Signature» en «Plan v2.docx». No se guardó." in body
    assert 'value="nota que no se pierde"' in body
    assert world.deliverable.versions.count() == 1
    assert files_under(settings.MEDIA_ROOT) == files_before


@pytest.mark.django_db
def test_a_new_deliverable_with_an_infected_file_is_not_created_and_keeps_its_title(world, client_for, settings):  # noqa: F811
    settings.UPLOAD_SCANNER = "tests.test_antivirus.refuse_as_infected"
    client = client_for(world.users["focal_requesting"])
    files_before = files_under(settings.MEDIA_ROOT)
    response = client.post(
        reverse("cooperations:deliverable_create", args=[world.cooperation.pk]),
        with_key(
            {
                "kind": "work_plan",
                "title": "Título que no se pierde",
                "institution": world.peru.pk,
                "due_date": "",
                "note": "",
                "file": docx(),
            }
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert REFUSED in body
    assert 'value="Título que no se pierde"' in body
    assert not Deliverable.objects.filter(title="Título que no se pierde").exists()
    assert files_under(settings.MEDIA_ROOT) == files_before


@pytest.mark.django_db
def test_a_scanner_that_fails_refuses_the_file(world, client_for, settings):  # noqa: F811
    settings.UPLOAD_SCANNER = "tests.test_antivirus.crash"
    response = post_version(client_for(world.users["oea"]), world, docx("acta.docx"))
    assert response.status_code == 200
    assert f"{REFUSED}: no se pudo analizar «acta.docx» en este momento." in response.content.decode()
    assert world.deliverable.versions.count() == 1


@pytest.mark.django_db
def test_a_clean_file_is_scanned_whole_after_the_type_check_and_stored_intact(world, client_for, settings):  # noqa: F811
    settings.UPLOAD_SCANNER = "tests.test_antivirus.record_and_pass"
    scanned.clear()
    client = client_for(world.users["oea"])

    assert post_version(client, world, upload("programa.pdf", ELF_BYTES)).status_code == 200
    assert scanned == [], "a file of the wrong type is refused before it is scanned"

    assert post_version(client, world, upload("acta.pdf", PDF_BYTES)).status_code == 302
    assert scanned == [PDF_BYTES]
    version = world.deliverable.versions.get(number=2)
    assert version.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert version.file.read() == PDF_BYTES


def test_no_scanner_by_default(settings):
    assert settings.UPLOAD_SCANNER == ""
    assert check_upload(upload("acta.pdf", INFECTED_PDF)).size == len(INFECTED_PDF)


# --- a fake clamd -----------------------------------------------------------------------------
class FakeClamd:
    """Answers INSTREAM like clamd: "stream: OK", or "stream: Eicar-Test-Signature FOUND" when
    the stream holds MARKER; `reply` overrides the answer, `silent` never answers."""

    def __init__(self, listener: socket.socket, address: str):
        self.listener, self.address = listener, address
        self.reply: bytes | None = None
        self.silent = False
        self.commands: list[bytes] = []
        self.streams: list[bytes] = []
        self.chunk_counts: list[int] = []
        self.stop = threading.Event()
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            with connection, connection.makefile("rb") as reader:
                connection.settimeout(5)
                try:
                    self.handle(connection, reader)
                except (OSError, struct.error):
                    pass  # the client went away

    def handle(self, connection, reader):
        command = b""
        while not command.endswith(b"\0"):
            byte = reader.read(1)
            if not byte:
                return
            command += byte
        self.commands.append(command)
        data, chunks = b"", 0
        while True:
            (length,) = struct.unpack("!L", reader.read(4))
            if length == 0:
                break
            data += reader.read(length)
            chunks += 1
        self.streams.append(data)
        self.chunk_counts.append(chunks)
        if self.silent:
            self.stop.wait(10)
            return
        found = b"stream: Eicar-Test-Signature FOUND\0" if MARKER in data else b"stream: OK\0"
        connection.sendall(self.reply or found)

    def close(self):
        self.stop.set()
        self.thread.join(15)
        self.listener.close()


@pytest.fixture
def clamd(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    server = FakeClamd(listener, "tcp://127.0.0.1:%d" % listener.getsockname()[1])
    settings.UPLOAD_SCANNER = "rial_site.antivirus.clamd_scan"
    settings.CLAMD_ADDRESS = server.address
    yield server
    server.close()


@pytest.mark.django_db
def test_clamd_gets_the_whole_file_in_chunks_and_a_clean_file_is_stored(world, client_for, clamd, monkeypatch):  # noqa: F811
    monkeypatch.setattr(antivirus, "CHUNK_SIZE", 100)
    content = PDF_BYTES + b"%" + b"x" * 1000 + b"\n"
    response = post_version(client_for(world.users["oea"]), world, upload("informe.pdf", content))
    assert response.status_code == 302
    assert clamd.commands == [b"zINSTREAM\0"]
    assert clamd.streams == [content]
    assert clamd.chunk_counts == [-(-len(content) // 100)]
    assert world.deliverable.versions.get(number=2).file.read() == content


@pytest.mark.django_db
def test_clamd_finding_a_signature_refuses_the_upload(world, client_for, clamd, settings):  # noqa: F811
    files_before = files_under(settings.MEDIA_ROOT)
    response = post_version(client_for(world.users["oea"]), world, upload("informe.pdf", INFECTED_PDF))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{REFUSED}: se detectó «Eicar-Test-Signature» en «informe.pdf»." in body
    assert 'value="nota que no se pierde"' in body
    assert clamd.streams == [INFECTED_PDF]
    assert world.deliverable.versions.count() == 1
    assert files_under(settings.MEDIA_ROOT) == files_before


def test_clamd_over_a_unix_socket(settings, tmp_path):
    path = str(tmp_path / "clamd.ctl")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen()
    server = FakeClamd(listener, f"unix://{path}")
    settings.UPLOAD_SCANNER = "rial_site.antivirus.clamd_scan"
    try:
        for address in (f"unix://{path}", path):
            settings.CLAMD_ADDRESS = address
            assert check_upload(upload("acta.pdf", PDF_BYTES)).size == len(PDF_BYTES)
            with pytest.raises(ValidationError, match="se detectó «Eicar-Test-Signature»"):
                check_upload(upload("acta.pdf", INFECTED_PDF))
    finally:
        server.close()
    assert server.streams == [PDF_BYTES, INFECTED_PDF] * 2


@pytest.mark.django_db
def test_an_unreachable_clamd_refuses_the_upload(world, client_for, settings, free_port):  # noqa: F811
    settings.UPLOAD_SCANNER = "rial_site.antivirus.clamd_scan"
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{free_port}"
    files_before = files_under(settings.MEDIA_ROOT)
    response = post_version(client_for(world.users["oea"]), world, upload("acta.pdf", PDF_BYTES))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{REFUSED}: no se pudo analizar «acta.pdf» en este momento. No se guardó; inténtelo más tarde" in body
    assert world.deliverable.versions.count() == 1
    assert files_under(settings.MEDIA_ROOT) == files_before


def test_a_clamd_that_does_not_answer_in_time_refuses_the_upload(clamd, settings):
    clamd.silent = True
    settings.CLAMD_TIMEOUT = 0.5
    with pytest.raises(ValidationError, match="no se pudo analizar «acta.pdf»"):
        check_upload(upload("acta.pdf", PDF_BYTES))


@pytest.mark.parametrize("reply", [b"INSTREAM size limit exceeded. ERROR\0", b"\0", b"stream: something odd\0"])
def test_a_clamd_error_or_an_odd_answer_refuses_the_upload(clamd, reply):
    clamd.reply = reply
    with pytest.raises(ValidationError, match="no se pudo analizar «acta.pdf»"):
        check_upload(upload("acta.pdf", PDF_BYTES))
