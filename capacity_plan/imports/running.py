"""Running an import, all rows or none: upload (read the file, dry run, stash it when it has no
errors), then confirm (run it again on the stashed copy and write it, in one transaction)."""

import datetime
from dataclasses import dataclass, field

import tablib
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import require

from ..models import ActionSession, ImportKind, ImportPreview, TrainingAction
from ..permissions import EDIT_PLAN
from .files import COLUMN_LABELS, read_table
from .previews import import_preview_create, import_preview_delete, import_preview_file, import_preview_get
from .resources import resource_for

Target = ActionSession | TrainingAction | None


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


def import_run(*, kind: ImportKind, target: Target, dataset: tablib.Dataset, by: User, commit: bool) -> ImportReport:
    """Validate the whole file (and, with commit, write it): all rows or none."""
    require(by, EDIT_PLAN)
    with transaction.atomic():
        result = resource_for(kind=kind, target=target).import_data(
            dataset, dry_run=not commit, raise_errors=False, use_transactions=True, collect_failed_rows=False
        )
        report = _report(result)
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
    *, kind: ImportKind, target: Target, token: str, by: User, now: datetime.datetime | None = None
) -> ImportReport:
    """Import the file `by` previewed (validated again, written only when every row is valid)
    and delete its preview. Someone else's preview, or one for another page, is not found; an
    expired one is deleted and nothing is written. Both raise ValidationError."""
    require(by, EDIT_PLAN)
    now = now or timezone.now()
    with transaction.atomic():
        # Locked: a second click on «Confirmar» waits for the first and then finds no preview.
        preview = import_preview_get(token=token, kind=kind, target=target, by=by, for_update=True)
        expired = preview.expires_at <= now
        if not expired:
            dataset = read_table(import_preview_file(preview=preview))
            report = import_run(kind=kind, target=target, dataset=dataset, by=by, commit=True)
        import_preview_delete(preview=preview)
    if expired:
        raise ValidationError(_("La vista previa venció; vuelva a subir el archivo."))
    return report
