"""Reading an uploaded CSV or XLSX file (as Google Forms exports it) into a dataset whose
headers are the canonical column names the resources know."""

import unicodedata

import tablib
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import SurveyAspect

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def plain(text) -> str:
    """Lower case, without accents and with single spaces: how headers and names are compared."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


# canonical column -> words that identify it in a Google Forms header (plain, lower case)
HEADER_WORDS = {
    "submitted_at": ("marca temporal", "timestamp", "fecha y hora"),
    "document_number": ("dni", "documento"),
    "email": ("correo", "email", "e-mail"),
    "full_name": ("nombre", "name"),
    "region": ("region", "g/drtpe", "drtpe"),
    "position": ("cargo", "puesto", "position"),
    "profile": ("perfil", "profile"),
    "status": ("asistencia", "estado", "attendance", "status"),
    "clarity": ("clar",),
    "usefulness": ("util", "useful"),
    "materials": ("material",),
    "facilitator": ("facilitador", "expositor", "ponente", "facilitator", "speaker"),
    "applicability": ("aplica", "applica"),
    "comments": ("comentario", "sugerencia", "observacion", "comment", "suggestion"),
}

# canonical column -> the name users read in messages about it
COLUMN_LABELS = {
    "full_name": gettext_lazy("Nombres y apellidos"),
    "region": gettext_lazy("Región"),
    "submitted_at": gettext_lazy("Marca temporal"),
    **{aspect.value: aspect.label for aspect in SurveyAspect},
    "document_number": gettext_lazy("DNI"),
    "email": gettext_lazy("Correo electrónico"),
    "position": gettext_lazy("Cargo"),
    "comments": gettext_lazy("Comentarios"),
}


def canonical_header(header: str) -> str | None:
    text = plain(header)
    for canonical, words in HEADER_WORDS.items():
        if any(word in text for word in words):
            return canonical
    return None


def read_table(uploaded: File) -> tablib.Dataset:
    """Read a CSV or XLSX upload into a dataset whose headers are the canonical names."""
    name = (uploaded.name or "").lower()
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("El archivo pesa más de 5 MB."))
    content = uploaded.read()
    try:
        if name.endswith(".xlsx"):
            if not content.startswith(b"PK\x03\x04"):
                raise ValueError
            dataset = tablib.Dataset().load(content, format="xlsx")
        elif name.endswith(".csv"):
            text = content.decode("utf-8-sig")
            dataset = tablib.Dataset().load(text, format="csv")
        else:
            raise ValidationError(_("Solo se aceptan archivos CSV o XLSX."))
    except (ValueError, UnicodeDecodeError, KeyError) as error:
        raise ValidationError(_("No se pudo leer el archivo: no es un CSV (UTF-8) o XLSX válido.")) from error
    except Exception as error:  # tablib raises format-specific errors for broken files
        if isinstance(error, ValidationError):
            raise
        raise ValidationError(_("No se pudo leer el archivo: no es un CSV (UTF-8) o XLSX válido.")) from error
    if not dataset.headers:
        raise ValidationError(_("El archivo no tiene fila de encabezados."))
    if len(dataset) > MAX_ROWS:
        raise ValidationError(_("El archivo tiene más de %(max)s filas.") % {"max": MAX_ROWS})
    headers: list[str] = []
    for header in dataset.headers:
        canonical = canonical_header(header)
        headers.append(canonical if canonical and canonical not in headers else f"ignored:{header}")
    dataset.headers = headers
    return dataset
