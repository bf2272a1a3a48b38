"""Running an import, all rows or none: upload (read the file, dry run, stash it when it has no
errors), then confirm (run it again on the stashed copy and write it, in one transaction)."""

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import RowResult

from accounts.decorators import require

from ..models import ActionSession, ImportKind, ImportPreview, TrainingAction
from ..permissions import EDIT_PLAN
from .files import COLUMN_LABELS, read_table
from .previews import import_preview_create, import_preview_delete, import_preview_file, import_preview_get
from .resources import ImportResource, resource_for

Target = ActionSession | TrainingAction | None


# What each row will do, as the preview table says it.
ROW_ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("nueva"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("actualiza"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("sin cambios"),
}


@dataclass
class ImportReport:
    """What a run found: counts, errors by spreadsheet row, the first rows as they will be
    written (`columns` and `rows`: spreadsheet row, what it does, values) and the rows whose name
    differs from the one stored for that servant (`name_changes`: row, stored, in the file).
    Plain values only, so a background job can keep it as JSON (`as_json`/`from_json`)."""

    total: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (spreadsheet row, message)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, str, list[str]]] = field(default_factory=list)
    name_changes: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def more_rows(self) -> int:
        """Rows valid but not shown in the table."""
        return max(self.total - len(self.rows), 0) if self.valid else 0

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ImportReport":
        return cls(
            **{name: data[name] for name in ("total", "new", "updated", "skipped", "columns")},
            errors=[(row, message) for row, message in data["errors"]],
            rows=[(row, action, list(values)) for row, action, values in data["rows"]],
            name_changes=[(row, stored, typed) for row, stored, typed in data["name_changes"]],
        )


def _report(result, resource: ImportResource) -> ImportReport:
    report = ImportReport(
        total=result.total_rows,
        new=result.totals.get("new", 0),
        updated=result.totals.get("update", 0),
        skipped=result.totals.get("skip", 0),
        columns=[str(label) for label in resource.PREVIEW_COLUMNS],
        rows=[(row, str(ROW_ACTIONS[action]), values) for row, action, values in resource.preview_rows],
        name_changes=list(resource.name_changes),
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


def import_run(
    *, kind: ImportKind, target: Target, dataset: tablib.Dataset, by: User, commit: bool, rename: bool = False
) -> ImportReport:
    """Validate the whole file (and, with commit, write it): all rows or none. Known servants
    keep their stored names unless `rename`."""
    require(by, EDIT_PLAN)
    with transaction.atomic():
        resource = resource_for(kind=kind, target=target, rename=rename)
        result = resource.import_data(
            dataset, dry_run=not commit, raise_errors=False, use_transactions=True, collect_failed_rows=False
        )
        report = _report(result, resource)
        if not commit or not report.valid:
            transaction.set_rollback(True)
    return report


def import_upload(
    *, kind: ImportKind, target: Target, uploaded: File, by: User, now: datetime.datetime | None = None
) -> tuple[ImportReport, ImportPreview | None]:
    """Read the upload and preview it (a dry run: nothing is written). A file without errors is
    stashed as a preview for `by` to confirm; a file that cannot be read raises ValidationError."""
    require(by, EDIT_PLAN)
    report = import_run(kind=kind, target=target, dataset=read_table(uploaded), by=by, commit=False)
    if not report.valid:
        return report, None
    return report, import_preview_create(kind=kind, target=target, uploaded=uploaded, by=by, now=now)


def import_confirm(
    *,
    kind: ImportKind,
    target: Target,
    token: str,
    by: User,
    rename: bool = False,
    now: datetime.datetime | None = None,
) -> ImportReport:
    """Import the file `by` previewed (validated again, written only when every row is valid)
    and delete its preview; with `rename`, the servants whose names the preview listed as
    different take the file's names. Someone else's preview, or one for another page, is not
    found; an expired one is deleted and nothing is written. Both raise ValidationError."""
    require(by, EDIT_PLAN)
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: a second click on «Confirmar» waits for the first and then finds no preview.
        preview = import_preview_get(token=token, kind=kind, target=target, by=by, for_update=True)
        expired = preview.expires_at <= now
        if not expired:
            dataset = read_table(import_preview_file(preview=preview))
            report = import_run(kind=kind, target=target, dataset=dataset, by=by, commit=True, rename=rename)
        import_preview_delete(preview=preview)
    if expired:
        raise ValidationError(_("La vista previa venció; vuelva a subir el archivo."))
    return report
