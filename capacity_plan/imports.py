"""Imports of participants, attendance and survey answers from CSV / XLSX files as Google Forms
exports them (django-import-export resources).

Every import is previewed first (a dry run that reports each bad row) and written only when
the whole file is valid, in one transaction. Re-importing a file stores nothing twice: servants
are matched by identity (DNI, else e-mail, else name and region), attendance by servant and
session, and survey answers by a fingerprint of the row.
"""

import datetime
import math
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import ActionSession, Attendance, PublicServant, Region, SatisfactionResponse, TrainingAction
from .permissions import EDIT_PLAN
from .services import servant_upsert, survey_source_key

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def _plain(text) -> str:
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


def canonical_header(header: str) -> str | None:
    plain = _plain(header)
    for canonical, words in HEADER_WORDS.items():
        if any(word in plain for word in words):
            return canonical
    return None


def read_table(uploaded) -> tablib.Dataset:
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
    headers = []
    for header in dataset.headers:
        canonical = canonical_header(header)
        headers.append(canonical if canonical and canonical not in headers else f"ignored:{header}")
    dataset.headers = headers
    return dataset


class RegionWidget(widgets.ForeignKeyWidget):
    """A region by name, without caring for accents or case."""

    def __init__(self):
        super().__init__(Region, "name")
        self._by_plain = None

    def clean(self, value, row=None, **kwargs):
        if self._by_plain is None:
            self._by_plain = {_plain(region.name): region for region in Region.objects.all()}
        if not str(value or "").strip():
            raise ValueError(_("Falta la región."))
        region = self._by_plain.get(_plain(value))
        if region is None:
            raise ValueError(_("Región desconocida: «%(value)s».") % {"value": value})
        return region


class KnownObjectWidget(widgets.ForeignKeyWidget):
    """The object every row of one import belongs to (its session, its action), known before the
    file is read: no query per row to find it again."""

    def __init__(self, obj):
        super().__init__(type(obj))
        self.obj = obj

    def clean(self, value, row=None, **kwargs):
        return self.obj


class ServantKeyWidget(widgets.ForeignKeyWidget):
    """A servant by identity key. The rows' servants are upserted before the row is imported and
    remembered here, so finding them again costs no query."""

    def __init__(self):
        super().__init__(PublicServant, "identity_key")
        self.upserted: dict[str, PublicServant] = {}

    def remember(self, servant: PublicServant) -> PublicServant:
        self.upserted[servant.identity_key] = servant
        return servant

    def clean(self, value, row=None, **kwargs):
        servant = self.upserted.get(str(value or ""))
        return servant if servant is not None else super().clean(value, row, **kwargs)


def parse_timestamp(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(12))
    else:
        text = str(value or "").strip()
        text = re.sub(r"\s*(GMT|UTC)[+-]?\d*$", "", text)
        meridian = None
        match = re.search(r"\s*([ap])\.?\s*m\.?$", text, re.IGNORECASE)
        if match:
            meridian, text = match.group(1).lower(), text[: match.start()]
        moment = None
        for pattern in (
            "%d/%m/%Y %H:%M:%S",
            "%Y/%m/%d %H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y",
            "%Y-%m-%d",
        ):
            try:
                moment = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            raise ValueError(_("Marca temporal no válida: «%(value)s».") % {"value": value})
        if meridian == "p" and moment.hour < 12:
            moment = moment.replace(hour=moment.hour + 12)
        elif meridian == "a" and moment.hour == 12:
            moment = moment.replace(hour=0)
    # A year like 0999 or 9999 is a typo, and one that breaks: 0999 is lost by strftime below, and
    # an evening of 31/12/9999 in Lima is year 10000 in UTC, which PostgreSQL stores and Python cannot read.
    if not 1900 <= moment.year <= 2100:
        raise ValueError(_("Marca temporal no válida: «%(value)s».") % {"value": value})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class RatingWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("Falta la calificación."))
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError as error:
            raise ValueError(_("«%(value)s» no es un número del 1 al 5.") % {"value": value}) from error
        if not math.isfinite(number):  # "inf", "nan", "1e400"
            raise ValueError(_("«%(value)s» no es un número del 1 al 5.") % {"value": value})
        if number != int(number) or not 1 <= number <= 5:
            raise ValueError(_("La calificación va de 1 a 5 (se leyó %(value)s).") % {"value": value})
        return int(number)


def _refuse_nul(row):
    """PostgreSQL cannot store the NUL character (a CSV may carry one)."""
    if any(
        isinstance(value, str) and "\x00" in value
        for column, value in row.items()
        if not str(column).startswith("ignored:")
    ):
        raise ValidationError(_("La fila contiene un carácter nulo (NUL), que no se puede guardar."))


class _RowKeys:
    """Remembers the key of each row to refuse a row repeated in the same file."""

    def __init__(self):
        self.seen: dict[str, int] = {}

    def check(self, key: str, row_number: int):
        if key in self.seen:
            raise ValidationError(_("Fila duplicada: repite la fila %(row)s.") % {"row": self.seen[key] + 1})
        self.seen[key] = row_number


class ServantRows:
    """Reading a servant from a row (name, DNI, e-mail, region, position), shared by the
    participant and attendance imports."""

    SERVANT_COLUMNS = ("document_number", "email", "position")

    def _require_servant_columns(self, dataset):
        for column in ("full_name", "region"):
            if column not in dataset.headers:
                raise ValidationError(_("Falta la columna «%(column)s».") % {"column": COLUMN_LABELS[column]})
        for column in self.SERVANT_COLUMNS:
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def _servant_fields(self, row, row_number):
        """Clean the servant columns in place and return (region, identity key)."""
        region, key = self._servant_identity(row)
        self.keys.check(key, row_number)
        return region, key

    def _servant_identity(self, row):
        """Clean the servant columns in place and return (region, identity key), without checks
        against the other rows. A row with a NUL is refused here, so that no caller (the
        one-query preload of the stored servants included) sends it to PostgreSQL."""
        _refuse_nul(row)
        for column in ("full_name", *self.SERVANT_COLUMNS):
            row[column] = " ".join(str(row.get(column) or "").split())
        if not row["full_name"]:
            raise ValidationError(_("Falta el nombre."))
        try:
            region = self.region_widget.clean(row.get("region"))
        except ValueError as error:
            raise ValidationError(str(error)) from error
        key = PublicServant.make_identity_key(
            document_number=row["document_number"], email=row["email"], full_name=row["full_name"], region_id=region.pk
        )
        return region, key


class ServantResource(ServantRows, resources.ModelResource):
    full_name = fields.Field(attribute="full_name", column_name="full_name")
    document_number = fields.Field(attribute="document_number", column_name="document_number")
    email = fields.Field(attribute="email", column_name="email")
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    position = fields.Field(attribute="position", column_name="position")
    identity_key = fields.Field(attribute="identity_key", column_name="identity_key")

    class Meta:
        model = PublicServant
        fields = ("full_name", "document_number", "email", "region", "position", "identity_key")
        import_id_fields = ("identity_key",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self):
        super().__init__()
        self.keys = _RowKeys()
        self.region_widget = self.fields["region"].widget
        self.existing: dict[str, PublicServant] | None = None

    def before_import(self, dataset, **kwargs):
        self._require_servant_columns(dataset)
        if "identity_key" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="identity_key")

    def before_import_row(self, row, row_number=None, **kwargs):
        _region, row["identity_key"] = self._servant_fields(row, row_number)

    def get_instance(self, instance_loader, row):
        """The servant already stored with the row's identity. The first row reads those of the
        whole file in one query, instead of a query per row."""
        if self.existing is None:
            keys = set()
            for other in instance_loader.dataset.dict:
                try:
                    keys.add(self._servant_identity(dict(other))[1])
                except ValidationError:
                    continue  # reported on its own row
            self.existing = {
                servant.identity_key: servant
                for servant in PublicServant.objects.filter(identity_key__in=keys).select_related("region")
            }
        return self.existing.get(row["identity_key"])


class AttendanceResource(ServantRows, resources.ModelResource):
    """Attendance of one session: each row is a servant who signed the register (or, with an
    «Asistencia» column, a servant marked present, absent or justified)."""

    servant = fields.Field(attribute="servant", column_name="servant", widget=ServantKeyWidget())
    session = fields.Field(attribute="session", column_name="session", widget=widgets.ForeignKeyWidget(ActionSession))
    status = fields.Field(attribute="status", column_name="status")

    class Meta:
        model = Attendance
        fields = ("servant", "session", "status")
        import_id_fields = ("session", "servant")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    STATUS_WORDS = {
        "presente": Attendance.Status.PRESENT,
        "asistio": Attendance.Status.PRESENT,
        "si": Attendance.Status.PRESENT,
        "": Attendance.Status.PRESENT,
        "ausente": Attendance.Status.ABSENT,
        "no": Attendance.Status.ABSENT,
        "justificado": Attendance.Status.JUSTIFIED,
        "justificada": Attendance.Status.JUSTIFIED,
        "present": Attendance.Status.PRESENT,
        "yes": Attendance.Status.PRESENT,
        "absent": Attendance.Status.ABSENT,
        "excused": Attendance.Status.JUSTIFIED,
        "justified": Attendance.Status.JUSTIFIED,
    }

    def __init__(self, *, session: ActionSession):
        super().__init__()
        self.session = session
        self.keys = _RowKeys()
        self.region_widget = RegionWidget()
        self.fields["session"].widget = KnownObjectWidget(session)
        self.servant_widget = self.fields["servant"].widget
        self.existing: dict[int, Attendance] | None = None

    def before_import(self, dataset, **kwargs):
        self._require_servant_columns(dataset)
        for column in ("servant", "session", "status"):
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, row_number=None, **kwargs):
        region, _key = self._servant_fields(row, row_number)
        status = self.STATUS_WORDS.get(_plain(row.get("status")))
        if status is None:
            raise ValidationError(
                _("Asistencia desconocida: «%(value)s» (use Presente, Ausente o Justificado).")
                % {"value": row.get("status")}
            )
        servant = servant_upsert(
            full_name=row["full_name"],
            region=region,
            document_number=row["document_number"],
            email=row["email"],
            position=row["position"],
        )
        self.servant_widget.remember(servant)
        row["servant"], row["session"], row["status"] = servant.identity_key, self.session.pk, status

    def get_instance(self, instance_loader, row):
        """The row's servant's attendance already stored for this session: the session's are
        read in one query on the first row, instead of a query per row."""
        if self.existing is None:
            self.existing = {
                attendance.servant_id: attendance
                for attendance in Attendance.objects.filter(session=self.session).select_related("servant", "session")
            }
        servant = self.servant_widget.upserted.get(row["servant"])
        return self.existing.get(servant.pk) if servant is not None else None


class SurveyResource(resources.ModelResource):
    """Survey answers of one action; the servant is optional (anonymous answers allowed)."""

    clarity = fields.Field(attribute="clarity", column_name="clarity", widget=RatingWidget())
    usefulness = fields.Field(attribute="usefulness", column_name="usefulness", widget=RatingWidget())
    materials = fields.Field(attribute="materials", column_name="materials", widget=RatingWidget())
    facilitator = fields.Field(attribute="facilitator", column_name="facilitator", widget=RatingWidget())
    applicability = fields.Field(attribute="applicability", column_name="applicability", widget=RatingWidget())
    comments = fields.Field(attribute="comments", column_name="comments")
    submitted_at = fields.Field(attribute="submitted_at", column_name="submitted_at", widget=widgets.DateTimeWidget())
    action = fields.Field(attribute="action", column_name="action", widget=widgets.ForeignKeyWidget(TrainingAction))
    servant = fields.Field(attribute="servant", column_name="servant", widget=ServantKeyWidget())
    source_key = fields.Field(attribute="source_key", column_name="source_key")

    class Meta:
        model = SatisfactionResponse
        fields = (
            "clarity",
            "usefulness",
            "materials",
            "facilitator",
            "applicability",
            "comments",
            "submitted_at",
            "action",
            "servant",
            "source_key",
        )
        import_id_fields = ("source_key",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, action: TrainingAction):
        super().__init__()
        self.action = action
        self.keys = _RowKeys()
        self.region_widget = RegionWidget()
        self.fields["action"].widget = KnownObjectWidget(action)
        self.servant_widget = self.fields["servant"].widget
        self.existing: dict[str, SatisfactionResponse] | None = None

    def before_import(self, dataset, **kwargs):
        for column in (*SatisfactionResponse.DIMENSIONS, "submitted_at"):
            if column not in dataset.headers:
                raise ValidationError(_("Falta la columna «%(column)s».") % {"column": COLUMN_LABELS[column]})
        for column in (
            "comments",
            "action",
            "servant",
            "source_key",
            "document_number",
            "email",
            "full_name",
            "region",
        ):
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, row_number=None, **kwargs):
        _refuse_nul(row)
        try:
            moment = parse_timestamp(row.get("submitted_at"))
        except ValueError as error:
            raise ValidationError(str(error)) from error
        row["submitted_at"] = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")
        row["comments"] = str(row.get("comments") or "").strip()
        servant_key = ""
        has_identity = any(str(row.get(column) or "").strip() for column in ("document_number", "email"))
        if has_identity:
            try:
                region = self.region_widget.clean(row.get("region"))
            except ValueError as error:
                raise ValidationError(str(error)) from error
            servant = servant_upsert(
                full_name=str(row.get("full_name") or row.get("email") or row["document_number"]),
                region=region,
                document_number=str(row.get("document_number") or ""),
                email=str(row.get("email") or ""),
            )
            servant_key = self.servant_widget.remember(servant).identity_key
        ratings = tuple(str(row.get(name)).strip() for name in SatisfactionResponse.DIMENSIONS)
        row["action"], row["servant"] = self.action.pk, servant_key or None
        row["source_key"] = survey_source_key(
            action_id=self.action.pk,
            submitted_at=moment,
            servant_key=servant_key,
            ratings=ratings,
            comments=row["comments"],
        )
        self.keys.check(row["source_key"], row_number)

    def get_instance(self, instance_loader, row):
        """The answer already imported with the row's fingerprint: the action's answers are read
        in one query on the first row, instead of a query per row."""
        if self.existing is None:
            answers = SatisfactionResponse.objects.filter(action=self.action).select_related("action", "servant")
            self.existing = {response.source_key: response for response in answers}
        return self.existing.get(row["source_key"])


COLUMN_LABELS = {
    "full_name": _("Nombres y apellidos"),
    "region": _("Región"),
    "submitted_at": _("Marca temporal"),
    "clarity": _("Claridad"),
    "usefulness": _("Utilidad"),
    "materials": _("Materiales"),
    "facilitator": _("Facilitador"),
    "applicability": _("Aplicabilidad"),
    "document_number": _("DNI"),
    "email": _("Correo electrónico"),
    "position": _("Cargo"),
    "comments": _("Comentarios"),
}


@dataclass
class ImportReport:
    total: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (spreadsheet row, message)

    @property
    def valid(self) -> bool:
        return not self.errors


def _report(result) -> ImportReport:
    report = ImportReport(
        total=result.total_rows,
        new=result.totals.get("new", 0),
        updated=result.totals.get("update", 0),
        skipped=result.totals.get("skip", 0),
    )
    for error in result.base_errors:
        report.errors.append((None, _message(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append((number + 1, _message(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            label = COLUMN_LABELS.get(column, "")
            for message in messages:
                report.errors.append((invalid.number + 1, f"{label}: {message}" if label else str(message)))
    report.errors.sort(key=lambda item: item[0] or 0)
    return report


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _resource(kind: str, target):
    if kind == "participantes":
        return ServantResource()
    if kind == "asistencia":
        return AttendanceResource(session=target)
    return SurveyResource(action=target)


def import_run(*, kind: str, target, dataset: tablib.Dataset, by, commit: bool) -> ImportReport:
    """Validate the whole file (and, with commit, write it): all rows or none."""
    if not by.has_perm(EDIT_PLAN):
        raise PermissionDenied
    with transaction.atomic():
        result = _resource(kind, target).import_data(
            dataset, dry_run=not commit, raise_errors=False, use_transactions=True, collect_failed_rows=False
        )
        report = _report(result)
        if not commit or not report.valid:
            transaction.set_rollback(True)
    return report


# Preview and confirmation are two requests: the file waits in a private folder between them.
def stash_upload(uploaded) -> str:
    folder = Path(settings.MEDIA_ROOT) / "private" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".xlsx" if (uploaded.name or "").lower().endswith(".xlsx") else ".csv"
    token = f"{uuid.uuid4().hex}{suffix}"
    uploaded.seek(0)
    (folder / token).write_bytes(uploaded.read())
    uploaded.seek(0)
    return token


def stashed_upload(token: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if not re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token or ""):
        raise ValidationError(_("El archivo de la vista previa ya no está disponible; súbalo de nuevo."))
    path = Path(settings.MEDIA_ROOT) / "private" / "imports" / token
    if not path.exists():
        raise ValidationError(_("El archivo de la vista previa ya no está disponible; súbalo de nuevo."))
    return SimpleUploadedFile(token, path.read_bytes())


def discard_upload(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}\.(csv|xlsx)", token or ""):
        (Path(settings.MEDIA_ROOT) / "private" / "imports" / token).unlink(missing_ok=True)
