"""Serving private files (uploads, generated reports) after a view has checked permission.
Shared by every app; production may hand the transfer to nginx (see the README)."""

import mimetypes

from django.http import FileResponse, Http404


def serve_private_file(field_file, original_name: str, content_type: str | None = None) -> FileResponse:
    """Stream an uploaded file as an attachment, after the caller has checked permission."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    content_type = content_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=original_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
