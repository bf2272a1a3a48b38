"""django-import-export resources, one per kind of import: participants (servants), the
attendance register of one session, and the survey answers of one action.

Re-importing a file stores nothing twice: servants are matched by identity (DNI, else e-mail,
else name and region), attendance by servant and session, and survey answers by a fingerprint
of the row. A row repeated inside one file is refused.

A known servant keeps the name stored for them: a row naming them otherwise is listed in
`name_changes` (the preview shows them) and renames them only when the import runs with
`rename=True` (the user ticked it on the preview). Every resource also keeps the first
PREVIEW_ROWS rows it accepted, with their values as they will be written (`preview_rows`).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import RowResult

from core.validators import dni_text

from ..models import (
    ActionSession,
    Attendance,
    ImportKind,
    PublicServant,
    SatisfactionResponse,
    SurveyAspect,
    TrainingAction,
)
from ..services import servant_upsert, survey_source_key
from .files import COLUMN_LABELS, plain
from .widgets import KnownObjectWidget, RatingWidget, RegionWidget, ServantKeyWidget, parse_timestamp

PREVIEW_ROWS = 20  # rows of the file the preview shows as they will be written


def _text(value) -> str:
    """A cell as single-spaced text; a whole number read from an XLSX (a DNI typed as a number
    comes back as 41234567.0) without its decimal point."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value if value is not None else "").split())


class PreviewRows:
    """What the preview shows: the first PREVIEW_ROWS rows the import accepted, with the values
    it writes (`preview_values`), and the rows whose name differs from the one stored for the
    servant they identify. Subclasses name the columns (PREVIEW_COLUMNS)."""

    PREVIEW_COLUMNS: tuple = ()
    preview_rows: list[tuple[int, str, list[str]]]  # (spreadsheet row, new/update/skip, values)
    name_changes: list[tuple[int, str, str]]  # (spreadsheet row, stored name, name in the file)
    rename: bool

    def _start_preview(self, *, rename: bool) -> None:
        self.preview_rows, self.name_changes, self.rename = [], [], rename

    # Each importer defines it: a row's values as the preview table shows them, in PREVIEW_COLUMNS order.
    preview_values: Callable[[Any], list[str]]

    def _note_name(self, row_number: int, *, stored: str, typed: str) -> None:
        if typed and stored != typed:
            self.name_changes.append((row_number + 1, stored, typed))

    def after_import_row(self, row, row_result, row_number=None, **kwargs):
        if len(self.preview_rows) < PREVIEW_ROWS and row_result.import_type in (
            RowResult.IMPORT_TYPE_NEW,
            RowResult.IMPORT_TYPE_UPDATE,
            RowResult.IMPORT_TYPE_SKIP,
        ):
            self.preview_rows.append(((row_number or 0) + 1, row_result.import_type, self.preview_values(row)))


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
    keys: _RowKeys
    region_widget: RegionWidget

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
            row[column] = _text(row.get(column))
        row["document_number"] = dni_text(row["document_number"])
        if not row["full_name"]:
            raise ValidationError(_("Falta el nombre."))
        try:
            region = self.region_widget.clean(row.get("region"))
        except ValueError as error:
            raise ValidationError(str(error)) from error
        row["region"] = region.name
        key = PublicServant.make_identity_key(
            document_number=row["document_number"], email=row["email"], full_name=row["full_name"], region_id=region.pk
        )
        return region, key


class ServantResource(PreviewRows, ServantRows, resources.ModelResource):
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

    PREVIEW_COLUMNS = (
        gettext_lazy("Nombres y apellidos"),
        gettext_lazy("DNI"),
        gettext_lazy("Correo electrónico"),
        gettext_lazy("Región"),
        gettext_lazy("Cargo"),
    )

    def __init__(self, *, rename: bool = False):
        super().__init__()
        self.keys = _RowKeys()
        self.region_widget = self.fields["region"].widget
        self.existing: dict[str, PublicServant] = {}
        self._start_preview(rename=rename)

    def before_import(self, dataset, **kwargs):
        """Check the columns, and read the servants the file names that are already stored, in
        one query instead of a query per row."""
        self._require_servant_columns(dataset)
        if "identity_key" not in dataset.headers:
            dataset.append_col([""] * len(dataset), header="identity_key")
        keys = set()
        for other in dataset.dict:
            try:
                keys.add(self._servant_identity(dict(other))[1])
            except ValidationError:
                continue  # reported on its own row
        self.existing = {
            servant.identity_key: servant
            for servant in PublicServant.objects.filter(identity_key__in=keys).select_related("region")
        }

    def before_import_row(self, row, row_number=None, **kwargs):
        _region, row["identity_key"] = self._servant_fields(row, row_number)
        stored = self.existing.get(row["identity_key"])
        if stored is not None:
            self._note_name(row_number, stored=stored.full_name, typed=row["full_name"])
            if not self.rename:
                row["full_name"] = stored.full_name

    def get_instance(self, instance_loader, row):
        """The servant already stored with the row's identity (read in before_import)."""
        return self.existing.get(row["identity_key"])

    def preview_values(self, row) -> list[str]:
        return [row["full_name"], row["document_number"], row["email"], row["region"], row["position"]]


class AttendanceResource(PreviewRows, ServantRows, resources.ModelResource):
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

    PREVIEW_COLUMNS = (
        gettext_lazy("Nombres y apellidos"),
        gettext_lazy("DNI"),
        gettext_lazy("Región"),
        gettext_lazy("Asistencia"),
    )

    def __init__(self, *, session: ActionSession, rename: bool = False):
        super().__init__()
        self.session = session
        self.keys = _RowKeys()
        self.region_widget = RegionWidget()
        self.fields["session"].widget = KnownObjectWidget(session)
        self.servant_widget = self.fields["servant"].widget
        self.existing: dict[int, Attendance] | None = None
        self._start_preview(rename=rename)

    def before_import(self, dataset, **kwargs):
        self._require_servant_columns(dataset)
        for column in ("servant", "session", "status"):
            if column not in dataset.headers:
                dataset.append_col([""] * len(dataset), header=column)

    def before_import_row(self, row, row_number=None, **kwargs):
        region, _key = self._servant_fields(row, row_number)
        status = self.STATUS_WORDS.get(plain(row.get("status")))
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
            rename=self.rename,
        )
        self._note_name(row_number, stored=servant.full_name, typed=row["full_name"])
        self.servant_widget.remember(servant)
        row["full_name"] = servant.full_name
        row["servant"], row["session"], row["status"] = servant.identity_key, self.session.pk, status

    def preview_values(self, row) -> list[str]:
        return [row["full_name"], row["document_number"], row["region"], str(Attendance.Status(row["status"]).label)]

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


class SurveyResource(PreviewRows, resources.ModelResource):
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
            *SurveyAspect.values,
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

    PREVIEW_COLUMNS = (
        gettext_lazy("Marca temporal"),
        gettext_lazy("Servidor/a"),
        *(aspect.label for aspect in SurveyAspect),
        gettext_lazy("Comentarios"),
    )

    def __init__(self, *, action: TrainingAction, rename: bool = False):
        super().__init__()
        self.action = action
        self.keys = _RowKeys()
        self.region_widget = RegionWidget()
        self.fields["action"].widget = KnownObjectWidget(action)
        self.servant_widget = self.fields["servant"].widget
        self.existing: dict[str, SatisfactionResponse] | None = None
        self._start_preview(rename=rename)

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
        servant_key, row["servant_name"] = "", ""
        for column in ("document_number", "email", "full_name"):
            row[column] = _text(row.get(column))
        row["document_number"] = dni_text(row["document_number"])
        if row["document_number"] or row["email"]:
            try:
                region = self.region_widget.clean(row.get("region"))
            except ValueError as error:
                raise ValidationError(str(error)) from error
            typed = row["full_name"]  # a survey may have no name column: the servant is then known by DNI
            servant = servant_upsert(
                full_name=typed or row["email"] or row["document_number"],
                region=region,
                document_number=row["document_number"],
                email=row["email"],
                rename=self.rename and bool(typed),
            )
            self._note_name(row_number, stored=servant.full_name, typed=typed)
            servant_key = self.servant_widget.remember(servant).identity_key
            row["servant_name"] = servant.full_name
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

    def preview_values(self, row) -> list[str]:
        moment = datetime.datetime.strptime(row["submitted_at"], "%Y-%m-%d %H:%M:%S")
        return [
            date_format(moment, "SHORT_DATETIME_FORMAT"),
            row["servant_name"] or _("Anónima"),
            *(str(row[name]).strip() for name in SatisfactionResponse.DIMENSIONS),
            Truncator(row["comments"]).chars(80),
        ]

    def get_instance(self, instance_loader, row):
        """The answer already imported with the row's fingerprint: the action's answers are read
        in one query on the first row, instead of a query per row."""
        if self.existing is None:
            answers = SatisfactionResponse.objects.filter(action=self.action).select_related("action", "servant")
            self.existing = {response.source_key: response for response in answers}
        return self.existing.get(row["source_key"])


ImportResource = ServantResource | AttendanceResource | SurveyResource


def resource_for(
    *, kind: ImportKind, target: ActionSession | TrainingAction | None, rename: bool = False
) -> ImportResource:
    """The resource that imports a file of this kind into its target (none for participants, the
    session for attendance, the action for surveys); with `rename`, the servants it names take
    the names of the file."""
    if kind == ImportKind.PARTICIPANTS and target is None:
        return ServantResource(rename=rename)
    if kind == ImportKind.ATTENDANCE and isinstance(target, ActionSession):
        return AttendanceResource(session=target, rename=rename)
    if kind == ImportKind.SURVEYS and isinstance(target, TrainingAction):
        return SurveyResource(action=target, rename=rename)
    raise ValueError(f"No {kind!r} import into {target!r}.")
