import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.selectors import home_attention
from rial_site.celery import app as celery_app

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """What needs the user's attention today, per role, and the areas they may open."""
    return render(request, "core/home.html", {"attention": home_attention(user=request.user)})


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "down" for a health probe
        logger.exception("Health check: database unreachable")
        return False


def _broker_reachable() -> bool:
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:  # any failure means "down" for a health probe
        logger.exception("Health check: broker unreachable")
        return False


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers and docker-compose: 200 when the database and
    the Celery broker answer, 503 otherwise."""
    checks = {
        "database": "ok" if _database_reachable() else "down",
        "broker": "ok" if _broker_reachable() else "down",
    }
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)
