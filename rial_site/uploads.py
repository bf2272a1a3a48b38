"""Uploaded documents: where they are stored and how they are checked (by what they really
are, not by their name). Shared by every app that takes files.

Antivirus hook: settings.UPLOAD_SCANNER names (dotted path) a callable `scan(uploaded)` that
check_upload calls once the type and size are accepted, before anything is stored. It returns
normally when the file is clean, raises InfectedUpload("<what was found>") when it is not, and
any other exception means the file could not be scanned. Either way the upload is refused with a
ValidationError (fail closed), so no file and no record is saved. Empty setting: no scan.
rial_site.antivirus.clamd_scan is a ready scanner for a ClamAV daemon."""

import hashlib
import logging
import uuid
import zipfile
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

logger = logging.getLogger(__name__)


class InfectedUpload(Exception):
    """Raised by an upload scanner when the file carries malware; args[0] says what was found."""


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _refuse(message: str):
    raise ValidationError(message, code="invalid_upload")


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
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
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
    mismatch = _(
        "El contenido de «%(name)s» no corresponde a un documento %(ext)s (parece %(real)s). "
        "Súbalo en su formato original."
    )
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            _refuse(mismatch % {"name": name, "ext": "PDF", "real": guessed.extension if guessed else _("otro tipo")})
    else:
        if not head.startswith(b"PK\x03\x04"):
            _refuse(
                mismatch
                % {"name": name, "ext": extension.upper(), "real": guessed.extension if guessed else _("otro tipo")}
            )
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as archive:
                members = set(archive.namelist())
                if required_member not in members:
                    _refuse(mismatch % {"name": name, "ext": extension.upper(), "real": "ZIP"})
                if (
                    required_member == "mimetype"
                    and archive.read("mimetype").decode("ascii", "replace").strip() != content_type
                ):
                    _refuse(mismatch % {"name": name, "ext": extension.upper(), "real": _("otro documento")})
        except zipfile.BadZipFile:
            _refuse(_("El archivo «%(name)s» está dañado o incompleto.") % {"name": name})
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
