"""check_upload against hostile documents: archives that expand far beyond their size (zip
bombs), headers that lie about a member's size, too many members, and polyglots (a PDF that is
also a web page, an office document carrying one). The test archives are written by hand from a
deflate stream of zeros, so a member that expands to 1 GiB costs about 1 MB and no time here."""

import io
import os
import random
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError

from rial_site.uploads import DOCX, check_upload
from tests.archives import MiB, docx_with, peak_memory_of, raw_zip, stored, zeros_member
from tests.files import PDF_BYTES, docx_bytes, odt_bytes, upload, xlsx_bytes

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def refusal(file) -> str:
    with pytest.raises(ValidationError) as refused:
        check_upload(file)
    return refused.value.messages[0]


@pytest.fixture(scope="module")
def mimetype_bomb() -> bytes:
    """An ODT whose `mimetype` member expands to 1 GiB (the tester's 1 MB upload)."""
    return raw_zip([zeros_member("mimetype", 1024, prefix=ODT_MIMETYPE), stored("content.xml", b"<office/>")])


def test_an_odt_whose_mimetype_expands_to_1_gib_is_refused_reading_only_its_first_bytes(mimetype_bomb):
    assert len(mimetype_bomb) < 2 * MiB
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal(upload("acta.odt", mimetype_bomb))))
    assert "no corresponde a un documento ODT" in messages[0]
    assert peak < 8 * MiB


def test_a_mimetype_that_lies_about_its_size_is_not_believed():
    # The directory says the mimetype member is 39 bytes (with their CRC), its data holds 1 GiB more.
    member = zeros_member("mimetype", 1024, prefix=ODT_MIMETYPE, declared=len(ODT_MIMETYPE))
    member = (*member[:2], zlib.crc32(ODT_MIMETYPE), *member[3:])
    archive = raw_zip([member, stored("content.xml", b"<office/>")])
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal(upload("acta.odt", archive))))
    assert "dañado" in messages[0]
    assert peak < 8 * MiB


def test_a_docx_holding_a_member_that_expands_to_1_gib_is_refused_without_expanding_it():
    archive = docx_with(zeros_member("word/document.xml", 1024))
    assert len(archive) < 2 * MiB
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal(upload("plan.docx", archive))))
    assert "ocupa más de 100,0\xa0MB una vez descomprimido" in messages[0]
    assert peak < 8 * MiB


def test_a_docx_whose_directory_understates_a_member_is_refused_as_damaged():
    # 1,000 bytes declared, with the CRC of those 1,000 bytes; the data holds 64 MiB.
    member = zeros_member("word/document.xml", 64, declared=1000)
    member = (*member[:2], zlib.crc32(bytes(1000)), *member[3:])
    messages = []
    peak = peak_memory_of(lambda: messages.append(refusal(upload("plan.docx", docx_with(member)))))
    assert "dañado o incompleto" in messages[0]
    assert peak < 8 * MiB


def test_a_docx_whose_directory_overstates_a_member_is_refused_as_damaged():
    member = zeros_member("word/document.xml", 0, prefix=b"<w:document/>", declared=5000)
    assert "dañado o incompleto" in refusal(upload("plan.docx", docx_with(member)))


def test_a_member_compressed_more_than_the_ratio_allows_is_refused(settings):
    assert settings.UPLOAD_MAX_COMPRESSION_RATIO == 100
    archive = docx_with(stored("word/document.xml", b"<w:document/>"), zeros_member("word/media/fondo.bin", 8))
    message = refusal(upload("plan.docx", archive))
    assert "comprimido de forma anómala" in message
    assert "«word/media/fondo.bin» se expande más de 100 veces" in message


def test_the_total_expanded_size_is_capped_even_when_each_member_compresses_normally(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = MiB
    archive = docx_with(
        stored("word/document.xml", b"<w:document/>"),
        stored("word/media/uno.png", os.urandom(600 * 1024)),
        stored("word/media/dos.png", os.urandom(600 * 1024)),
    )
    assert "ocupa más de 1,0\xa0MB una vez descomprimido" in refusal(upload("plan.docx", archive))


def test_an_archive_with_too_many_members_is_refused(settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 10
    pictures = [stored(f"word/media/image{number}.png", b"png") for number in range(20)]
    archive = docx_with(stored("word/document.xml", b"<w:document/>"), *pictures)
    assert "demasiadas partes internas (más de 10)" in refusal(upload("plan.docx", archive))


def test_an_end_record_that_understates_the_member_count_is_not_believed(settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 10
    pictures = [stored(f"word/media/image{number}.png", b"png") for number in range(20)]
    archive = bytearray(docx_with(stored("word/document.xml", b"<w:document/>"), *pictures))
    archive[-14:-10] = struct.pack("<2H", 3, 3)  # the end record now claims 3 members
    assert "demasiadas partes internas" in refusal(upload("plan.docx", bytes(archive)))


def test_a_central_directory_too_big_for_the_member_cap_is_refused_before_it_is_parsed(settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 10
    long_names = [stored(f"word/media/{'x' * 1000}{number}.png", b"png") for number in range(5)]
    archive = docx_with(stored("word/document.xml", b"<w:document/>"), *long_names)
    assert "demasiadas partes internas" in refusal(upload("plan.docx", archive))


def test_an_odt_mimetype_longer_than_a_line_is_refused():
    archive = raw_zip([stored("mimetype", ODT_MIMETYPE + b" " * 300), stored("content.xml", b"<office/>")])
    assert "no corresponde a un documento ODT" in refusal(upload("acta.odt", archive))


@pytest.mark.parametrize(
    "head",
    [
        b"<html><body><script>alert(document.cookie)</script></body></html>",
        b"<!DOCTYPE html><p>hola</p>",
        b"%\n<SCRIPT src=//evil.example/x.js></SCRIPT>",
        b"<svg onload=alert(1)>",
    ],
)
def test_a_pdf_that_is_also_a_web_page_is_refused(head):
    polyglot = PDF_BYTES.replace(b"\n", b"\n" + head + b"\n", 1)
    assert polyglot.startswith(b"%PDF-")
    assert "no es solo un PDF: contiene también una página web" in refusal(upload("acta.pdf", polyglot))


def test_html_far_into_a_pdf_is_left_to_the_pdf_reader():
    # Only the first KBs are sniffed by browsers; a stream mentioning <html> later is ordinary.
    pdf = PDF_BYTES + b"%" + b"0" * 9000 + b"\n<html>\n"
    assert check_upload(upload("acta.pdf", pdf)).content_type == "application/pdf"


@pytest.mark.parametrize(
    "member",
    ["index.html", "word/media/pagina.HTM", "docProps/app.js", "word/vbaProject.bin"],
)
def test_an_office_document_carrying_active_content_is_refused(member):
    archive = docx_with(stored("word/document.xml", b"<w:document/>"), stored(member, b"<script>alert(1)</script>"))
    message = refusal(upload("plan.docx", archive))
    assert f"lleva dentro contenido activo («{member}»" in message


def test_an_office_document_with_an_svg_icon_is_accepted():
    # Word's «Insertar iconos» stores the picture as an SVG member; the file is still a document.
    icon = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    archive = docx_with(stored("word/document.xml", b"<w:document/>"), stored("word/media/image1.svg", icon))
    assert check_upload(upload("plan.docx", archive)).content_type == DOCX


def test_an_odt_carrying_a_web_page_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_MIMETYPE)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("index.html", "<html><script>alert(1)</script></html>")
    assert "contenido activo («index.html»" in refusal(upload("acta.odt", buffer.getvalue()))


def test_an_encrypted_member_is_refused_as_damaged():
    archive = bytearray(docx_with(stored("word/document.xml", b"<w:document/>")))
    directory = archive.rindex(b"PK\x01\x02")  # the last directory entry: word/document.xml
    archive[directory + 8 : directory + 10] = struct.pack("<H", 1)  # "encrypted" flag
    assert "dañado o incompleto" in refusal(upload("plan.docx", bytes(archive)))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.docx", docx_bytes(), "wordprocessingml.document"),
        ("notas.odt", odt_bytes(), "opendocument.text"),
        ("lista.xlsx", xlsx_bytes(["DNI", "Nombre"], [["12345678", "Ana"]] * 2000), "spreadsheetml.sheet"),
        ("grande.docx", docx_with(stored("word/document.xml", os.urandom(3 * MiB))), "wordprocessingml.document"),
        ("comprimido.docx", docx_with(zeros_member("word/document.xml", 0, prefix=b"<w:t/>" * 100_000)), "document"),
    ],
)
def test_ordinary_documents_still_pass(name, content, content_type):
    assert content_type in check_upload(upload(name, content)).content_type


def test_a_mangled_archive_is_refused_with_a_message_never_an_error():
    generator = random.Random(12)
    originals = [("plan.docx", docx_bytes()), ("notas.odt", odt_bytes()), ("lista.xlsx", xlsx_bytes(["a"], [[1]]))]
    for _ in range(400):
        name, content = generator.choice(originals)
        mangled = bytearray(content)
        for _ in range(generator.randint(1, 6)):
            mangled[generator.randrange(len(mangled))] = generator.randrange(256)
        try:
            check_upload(upload(name, bytes(mangled)))
        except ValidationError:
            pass
