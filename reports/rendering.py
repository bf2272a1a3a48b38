"""HTML → PDF with WeasyPrint. Runs in Celery workers and management commands, and in a web
request only for the monthly catalogue (capacity_plan.catalogue: a few pages, capped). The
URL fetcher serves the application's own static files and refuses everything else (no
network, no local files, no data: URLs), so text typed by users cannot make the renderer
fetch anything."""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Relative links in print templates ({% static %} gives "/static/…") resolve against this
# origin, which exists nowhere: only the fetcher below knows how to answer it.
BASE_URL = "https://reports.invalid/"


class RefusedURL(ValueError):
    pass


def static_file_for(url: str) -> Path | None:
    """The file behind one of the app's static URLs, or None for any other URL."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    candidate = Path(settings.STATIC_ROOT) / relative
    return candidate if candidate.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)

    def fetch(self, url, headers=None):
        path = static_file_for(url)
        if path is None:
            logger.warning("PDF renderer refused to fetch %s", url)
            raise RefusedURL(f"Only the application's static files may be fetched: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template (plain CSS, no Bootstrap) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context))
