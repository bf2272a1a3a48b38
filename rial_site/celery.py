"""The Celery application, configured from Django settings (keys prefixed CELERY_)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rial_site.settings")

app = Celery("rial_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_embedded_folders(sender, **kwargs):
    """The embedded mode's broker and result folders (kombu's file-system transport and Celery's
    file result backend need them to exist), made when Celery is first configured rather than
    when the settings are imported."""
    from django.conf import settings

    for folder in getattr(settings, "EMBEDDED_CELERY_FOLDERS", ()):
        Path(folder).mkdir(parents=True, exist_ok=True)


@app.task(name="rial_site.ping")
def ping() -> str:
    """A no-op round trip used by the health check tests and by operators."""
    return "pong"
