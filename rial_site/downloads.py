"""Serving private files (uploads, generated reports) after a view has checked permission.
Shared by every app; production may hand the transfer to nginx (see the README).

With PRIVATE_FILES_ACCEL_REDIRECT set (an internal nginx location such as "/protected/" that
aliases MEDIA_ROOT), the response carries no body: nginx sees `X-Accel-Redirect` and sends the
file itself, keeping the headers set here (name, type, caching). Otherwise Django streams it."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header


def serve_private_file(field_file, original_name: str, content_type: str | None = None) -> HttpResponseBase:
    """Send an uploaded file as an attachment named `original_name`, after the caller has
    checked permission. A missing file is a 404 in both modes."""
    if not field_file:
        raise Http404
    content_type = content_type or mimetypes.guess_type(original_name)[0] or "application/octet-stream"
    accel_prefix = settings.PRIVATE_FILES_ACCEL_REDIRECT
    if accel_prefix:
        if not field_file.storage.exists(field_file.name):
            raise Http404
        response: HttpResponseBase = HttpResponse(content_type=content_type)
        # The storage name is relative to MEDIA_ROOT; nginx unescapes the URI before mapping
        # it onto the aliased folder.
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(field_file.name.lstrip("/"))
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=original_name)
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, as_attachment=True, filename=original_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
