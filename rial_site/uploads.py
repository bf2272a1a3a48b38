"""Uploaded documents: where they are stored and how they are checked (by what they really
are, not by their name). Shared by every app that takes files.

Hostile documents: OOXML and ODF files are ZIP archives, so each one is opened member by member
with bounded, streamed reads (see _check_archive): caps on the member count, the total expanded
size and the compression ratio (settings.UPLOAD_MAX_*), sizes declared in the directory checked
against the bytes actually inflated, and no web pages, scripts, SVG or macros inside. A PDF that
also holds HTML in its first KBs (a polyglot) is refused. Files over UPLOAD_MAX_BYTES are already
stopped while they stream in (rial_site/upload_handlers.py).

Antivirus hook: settings.UPLOAD_SCANNER names (dotted path) a callable `scan(uploaded)` that
check_upload calls once the type and size are accepted, before anything is stored. It returns
normally when the file is clean, raises InfectedUpload("<what was found>") when it is not, and
any other exception means the file could not be scanned. Either way the upload is refused with a
ValidationError (fail closed), so no file and no record is saved. Empty setting: no scan.
rial_site.antivirus.clamd_scan is a ready scanner for a ClamAV daemon."""

import copy
import hashlib
import logging
import os
import struct
import uuid
import zipfile
import zlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.module_loading import import_string
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"

# extension -> (content type, member that an archive of that type must hold)
ALLOWED = {
    "pdf": (PDF, None),
    "docx": (DOCX, "word/document.xml"),
    "xlsx": (XLSX, "xl/workbook.xml"),
    "pptx": (PPTX, "ppt/presentation.xml"),
    "odt": (ODT, "mimetype"),
    "ods": (ODS, "mimetype"),
    "odp": (ODP, "mimetype"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, PPTX, ODT, ODS, ODP"

# A PDF whose first bytes also hold one of these is a PDF/HTML polyglot (a browser that sniffs
# it, or an HTML viewer, would run the page): refused.
HTML_MARKERS = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg")
# Archive members that are web pages, scripts, programs or macros: no document needs them, and
# whoever unpacks the download could open them in a browser or run them. SVG is included (it can
# hold scripts) although Office and LibreOffice may store inserted SVG pictures this way.
# SVG pictures are left out on purpose: Word, PowerPoint and LibreOffice store inserted icons as
# .svg members, and a document is always served as an attachment with nosniff, never inline.
ACTIVE_CONTENT_SUFFIXES = (
    ".html", ".htm", ".xhtml", ".xht", ".mht", ".mhtml", ".hta",
    ".js", ".mjs", ".vbs", ".vbe", ".wsf", ".ps1", ".bat", ".cmd", ".com", ".exe", ".dll", ".scr", ".msi",
    ".jar", ".swf",
)  # fmt: skip
ACTIVE_CONTENT_NAMES = {"vbaproject.bin"}  # VBA macros (never valid in .docx/.xlsx/.pptx)
MIMETYPE_MAX_BYTES = 256  # an ODF `mimetype` member is one short line
RATIO_GRACE_BYTES = 1024 * 1024  # members expanding to less are not held to the ratio
CENTRAL_DIRECTORY_ENTRY_BYTES = 256  # room per member in the archive's directory (name included)
INFLATE_CHUNK_BYTES = 64 * 1024
END_RECORD_SIZE = 22
ZIP64_LOCATOR_SIZE = 20

logger = logging.getLogger(__name__)


class InfectedUpload(Exception):
    """Raised by an upload scanner when the file carries malware; args[0] says what was found."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


# The code of a refusal because the file is damaged or is not the document it claims to be (as
# opposed to a dangerous one): a caller with its own message for unreadable files can tell them apart.
UNREADABLE_UPLOAD = "unreadable_upload"


def _refuse(message: str, code: str = "invalid_upload"):
    raise ValidationError(message, code=code)


def _refuse_mismatch(name: str, ext: str, real: str):
    _refuse(
        _(
            "El contenido de «%(name)s» no corresponde a un documento %(ext)s (parece %(real)s). "
            "Súbalo en su formato original."
        )
        % {"name": name, "ext": ext, "real": real},
        code=UNREADABLE_UPLOAD,
    )


def _refuse_damaged(name: str):
    _refuse(_("El archivo «%(name)s» está dañado o incompleto.") % {"name": name}, code=UNREADABLE_UPLOAD)


def _end_of_central_directory(uploaded) -> tuple[int, int]:
    """The member count and central-directory size the archive's end record declares, read
    before zipfile parses the directory (which it would do whole, whatever its size). An archive
    with ZIP64 end records (never needed below 4 GB and 65,535 members) is refused as damaged."""
    uploaded.seek(0, os.SEEK_END)
    file_size = uploaded.tell()
    tail_size = min(file_size, END_RECORD_SIZE + 65535 + ZIP64_LOCATOR_SIZE)
    uploaded.seek(file_size - tail_size)
    tail = uploaded.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    if at >= ZIP64_LOCATOR_SIZE and tail[at - ZIP64_LOCATOR_SIZE : at - ZIP64_LOCATOR_SIZE + 4] == b"PK\x06\x07":
        raise zipfile.BadZipFile("ZIP64 end records")
    fields = struct.unpack("<4s4H2LH", tail[at : at + END_RECORD_SIZE])
    members, directory_size = fields[4], fields[5]
    return members, directory_size


def _check_archive(uploaded, *, name: str, extension: str, content_type: str, required: str | None) -> None:
    """Refuse an OOXML/ODF upload that is not what it claims, that carries active content, or
    that expands beyond the caps: settings.UPLOAD_MAX_ARCHIVE_MEMBERS members,
    UPLOAD_MAX_UNCOMPRESSED_BYTES in all, UPLOAD_MAX_COMPRESSION_RATIO for each member over
    RATIO_GRACE_BYTES. Every member is inflated as a stream, in chunks: the sizes the directory
    declares are checked first, then the bytes actually read (never more than declared + 1, so a
    header that understates a member is caught, not believed). Nothing is held in memory beyond
    one chunk and the first bytes of `mimetype`."""
    max_members = settings.UPLOAD_MAX_ARCHIVE_MEMBERS
    max_total = settings.UPLOAD_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.UPLOAD_MAX_COMPRESSION_RATIO
    too_many = _("«%(name)s» tiene demasiadas partes internas (más de %(max)s); no parece un documento de oficina.")
    expands = _(
        "«%(name)s» ocupa más de %(max)s una vez descomprimido; no se aceptan documentos que se expandan tanto. "
        "No se guardó."
    )
    try:
        declared_members, directory_size = _end_of_central_directory(uploaded)
        if declared_members > max_members or directory_size > max_members * CENTRAL_DIRECTORY_ENTRY_BYTES:
            _refuse(too_many % {"name": name, "max": max_members})
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            members = archive.infolist()
            if len(members) > max_members:
                _refuse(too_many % {"name": name, "max": max_members})
            names = {member.filename for member in members}
            if required not in names:
                _refuse_mismatch(name, extension.upper(), "ZIP")
            for member in members:
                lowered = member.filename.lower()
                if lowered.endswith(ACTIVE_CONTENT_SUFFIXES) or lowered.rsplit("/", 1)[-1] in ACTIVE_CONTENT_NAMES:
                    _refuse(
                        _(
                            "«%(name)s» lleva dentro contenido activo («%(member)s»: páginas web, programas o "
                            "macros), que no se acepta en un documento. Guárdelo sin ese contenido y súbalo otra vez."
                        )
                        % {"name": name, "member": member.filename[-80:]}
                    )
            total = 0
            mimetype_head = b""
            for member in members:
                if member.filename.endswith("/"):  # a folder (ZipInfo.is_dir fails on an empty name)
                    continue
                if member.flag_bits & 0x1 or member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    _refuse_damaged(name)  # encrypted, or a compression no office suite writes
                is_mimetype = required == "mimetype" and member.filename == "mimetype"
                if is_mimetype and member.file_size > MIMETYPE_MAX_BYTES:
                    _refuse_mismatch(name, extension.upper(), _("otro documento"))
                total += member.file_size
                if total > max_total:
                    _refuse(expands % {"name": name, "max": filesizeformat(max_total)})
                if member.file_size > RATIO_GRACE_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
                    _refuse_ratio(name, member.filename, max_ratio)
                read = _inflate(archive, member, keep=MIMETYPE_MAX_BYTES if is_mimetype else 0)
                if read.size != member.file_size:
                    _refuse_damaged(name)  # the directory understates (or overstates) the member
                if is_mimetype:
                    mimetype_head = read.head
            if required == "mimetype" and mimetype_head.decode("ascii", "replace").strip() != content_type:
                _refuse_mismatch(name, extension.upper(), _("otro documento"))
    # What zipfile raises on a malformed archive (RuntimeError: an encrypted member, and its
    # subclass for an unknown ZIP version): the file is damaged, not the server.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        RuntimeError,
        zlib.error,
        struct.error,
    ):
        _refuse_damaged(name)


def _refuse_ratio(name: str, member: str, ratio: int):
    _refuse(
        _(
            "«%(name)s» está comprimido de forma anómala: la parte «%(member)s» se expande más de %(ratio)s veces. "
            "No se guardó."
        )
        % {"name": name, "member": member[-80:], "ratio": ratio}
    )


@dataclass(frozen=True)
class _Inflated:
    size: int
    head: bytes


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, keep: int) -> _Inflated:
    """Stream one member through the decompressor and count what comes out, keeping only its
    first `keep` bytes. The read is allowed one byte past the declared size, so a member whose
    data holds more than its header says shows up as a size mismatch instead of being cut short
    (zipfile alone stops at the declared size); the CRC is checked when the member ends."""
    probe = copy.copy(member)
    probe.file_size = member.file_size + 1
    size = 0
    head = b""
    with archive.open(probe) as stream:
        while chunk := stream.read(INFLATE_CHUNK_BYTES):
            size += len(chunk)
            if len(head) < keep:
                head += chunk[: keep - len(head)]
            if size > member.file_size:
                break
    return _Inflated(size=size, head=head)


def _scan(uploaded, name: str) -> None:
    """Run the configured antivirus scanner, if any; refuse the file unless it comes back clean."""
    if not settings.UPLOAD_SCANNER:
        return
    try:
        scanner = import_string(settings.UPLOAD_SCANNER)
    except ImportError as error:
        raise ImproperlyConfigured(f"UPLOAD_SCANNER={settings.UPLOAD_SCANNER!r} cannot be imported.") from error
    uploaded.seek(0)
    try:
        scanner(uploaded)
    except InfectedUpload as verdict:
        logger.warning("Upload %r refused by the antivirus scan: %s", name, verdict)
        _refuse(
            _("El archivo no superó el análisis antivirus: se detectó «%(threat)s» en «%(name)s». No se guardó.")
            % {"threat": verdict, "name": name}
        )
    except Exception:
        logger.exception("Upload %r refused: the antivirus scan failed", name)
        _refuse(
            _(
                "El archivo no superó el análisis antivirus: no se pudo analizar «%(name)s» en este momento. "
                "No se guardó; inténtelo más tarde o avise al administrador."
            )
            % {"name": name}
        )
    finally:
        uploaded.seek(0)


def check_upload(uploaded) -> CheckedFile:
    """Refuse anything but the allowed document types (judged by content), files over the
    size limit and files the antivirus scanner (if configured) does not pass; return the real
    type, the size and the SHA-256 of the content."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    # An OversizedUpload (rial_site/upload_handlers.py) arrives with the size received and no content.
    if getattr(uploaded, "over_limit", False) or uploaded.size > settings.UPLOAD_MAX_BYTES:
        _refuse(
            _("El archivo «%(name)s» pesa %(size)s; el máximo es %(max)s.")
            % {"name": name, "size": filesizeformat(uploaded.size), "max": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    if uploaded.size == 0:
        _refuse(_("El archivo «%(name)s» está vacío.") % {"name": name})
    if extension not in ALLOWED:
        _refuse(
            _("Solo se aceptan documentos %(types)s; «%(name)s» no lo es.") % {"types": ALLOWED_LABEL, "name": name}
        )
    content_type, required_member = ALLOWED[extension]

    uploaded.seek(0)
    head = uploaded.read(8192)
    guessed = filetype.guess(head)
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            _refuse_mismatch(name, "PDF", guessed.extension if guessed else _("otro tipo"))
        if any(marker in head.lower() for marker in HTML_MARKERS):
            _refuse(
                _(
                    "«%(name)s» no es solo un PDF: contiene también una página web (HTML o JavaScript). "
                    "Expórtelo de nuevo a PDF y súbalo otra vez."
                )
                % {"name": name}
            )
    else:
        if not head.startswith(b"PK\x03\x04"):
            _refuse_mismatch(name, extension.upper(), guessed.extension if guessed else _("otro tipo"))
        _check_archive(uploaded, name=name, extension=extension, content_type=content_type, required=required_member)
    _scan(uploaded, name)

    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(content_type=content_type, size=uploaded.size, sha256=digest.hexdigest())


def upload_path(instance, filename: str) -> str:
    """Uploaded files live under MEDIA_ROOT/private/, never under static/, each in its own
    random folder so two files with one name never collide. Names are sanitised."""
    safe_name = get_valid_filename(filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])[-120:] or "archivo"
    return f"private/{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}/{safe_name}"
