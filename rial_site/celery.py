"""The Celery application, configured from Django settings (keys prefixed CELERY_)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rial_site.settings")

app = Celery("rial_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="rial_site.ping")
def ping() -> str:
    """A no-op round trip used by the health check tests and by operators."""
    return "pong"
