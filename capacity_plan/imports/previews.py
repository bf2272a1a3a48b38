"""The preview stash. Preview and confirmation are two requests: between them the uploaded file
waits under MEDIA_ROOT/private/imports/, as an `ImportPreview` row that only its uploader can
confirm, for the same kind of import and target, until it expires. A beat job deletes expired
previews and their files (capacity_plan.tasks)."""

import datetime
import posixpath
import uuid

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ImportKind, ImportPreview

PREVIEW_LIFETIME = datetime.timedelta(days=1)
FOLDER = "private/imports"


def _unavailable() -> ValidationError:
    return ValidationError(_("El archivo de la vista previa ya no está disponible; súbalo de nuevo."))


def import_preview_create(
    *,
    kind: ImportKind,
    target: models.Model | None,
    uploaded: File,
    by: User,
    now: datetime.datetime | None = None,
) -> ImportPreview:
    """Stash a copy of the upload (which is left at its start) until it is confirmed or expires."""
    now = now or timezone.now()
    suffix = ".xlsx" if (uploaded.name or "").lower().endswith(".xlsx") else ".csv"
    preview = ImportPreview(
        kind=kind,
        target_id=None if target is None else target.pk,
        created_by=by,
        created_at=now,
        expires_at=now + PREVIEW_LIFETIME,
    )
    uploaded.seek(0)
    preview.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(uploaded.read()), save=False)
    uploaded.seek(0)
    preview.save()
    return preview


def import_preview_get(
    *, token: str, kind: ImportKind, target: models.Model | None, by: User, for_update: bool = False
) -> ImportPreview:
    """The preview with this token that `by` uploaded for this kind and target, else a
    ValidationError: someone else's preview, or one for another page, is not found either."""
    try:
        token_uuid = uuid.UUID(str(token or ""))
    except ValueError:
        raise _unavailable() from None
    previews = ImportPreview.objects.filter(
        token=token_uuid, kind=kind, target_id=None if target is None else target.pk, created_by=by
    )
    preview = (previews.select_for_update() if for_update else previews).first()
    if preview is None:
        raise _unavailable()
    return preview


def import_preview_file(*, preview: ImportPreview) -> SimpleUploadedFile:
    """The stashed file, as an upload that read_table reads."""
    try:
        with preview.file.open("rb") as stashed:
            content = stashed.read()
    except FileNotFoundError:
        raise _unavailable() from None
    return SimpleUploadedFile(posixpath.basename(preview.file.name or ""), content)


def import_preview_delete(*, preview: ImportPreview) -> None:
    """Delete the preview; its file goes once the deletion is committed."""
    storage, name = preview.file.storage, preview.file.name or ""
    preview.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


def import_previews_delete_expired(*, now: datetime.datetime) -> int:
    """Delete the previews expired at `now` and their files, and the stray files of the folder
    that no preview holds and that are older than a preview lives (left by a crash between
    writing a file and its row, or stashed before previews were rows). Returns how many previews
    were deleted."""
    storage = ImportPreview._meta.get_field("file").storage
    with transaction.atomic():
        expired = dict(ImportPreview.objects.filter(expires_at__lte=now).values_list("pk", "file"))
        ImportPreview.objects.filter(pk__in=expired).delete()
    for name in expired.values():
        storage.delete(name)
    try:
        _folders, files = storage.listdir(FOLDER)
    except FileNotFoundError:
        return len(expired)
    held = set(ImportPreview.objects.values_list("file", flat=True))
    for file_name in files:
        name = f"{FOLDER}/{file_name}"
        if name not in held and storage.get_modified_time(name) <= now - PREVIEW_LIFETIME:
            storage.delete(name)
    return len(expired)
