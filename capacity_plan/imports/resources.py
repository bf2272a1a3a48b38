"""django-import-export resources, one per kind of import: participants (servants), the
attendance register of one session, and the survey answers of one action.

Re-importing a file stores nothing twice: servants are matched by identity (DNI, else e-mail,
else name and region), attendance by servant and session, and survey answers by a fingerprint
of the row. A row repeated inside one file is refused.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

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


def resource_for(*, kind: ImportKind, target: ActionSession | TrainingAction | None) -> resources.ModelResource:
    """The resource that imports a file of this kind into its target (none for participants, the
    session for attendance, the action for surveys)."""
    if kind == ImportKind.PARTICIPANTS and target is None:
        return ServantResource()
    if kind == ImportKind.ATTENDANCE and isinstance(target, ActionSession):
        return AttendanceResource(session=target)
    if kind == ImportKind.SURVEYS and isinstance(target, TrainingAction):
        return SurveyResource(action=target)
    raise ValueError(f"No {kind!r} import into {target!r}.")
