"""Site-wide middleware: the container's health probe, the Permissions-Policy header and the
page shown when the embedded SQLite database stays locked."""

import ipaddress

from django.conf import settings
from django.db import OperationalError
from django.shortcuts import render
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.cache import add_never_cache_headers

HEALTH_URL_NAME = "healthz"


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class HealthProbeMiddleware:
    """Answers the container's own health probe (docker-compose runs `curl
    http://127.0.0.1:8000/healthz` inside the web container) before SecurityMiddleware and
    CommonMiddleware: the probe has no allowed Host and speaks plain HTTP, so it would get a 400
    or a redirect to HTTPS. Only exactly that: a GET of the health URL from loopback that no proxy
    forwarded (no X-Forwarded-For). Everything else, /healthz through nginx included, goes
    through the usual host check and HTTPS redirect. Put it first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and "HTTP_X_FORWARDED_FOR" not in request.META
            and _is_loopback(request.META.get("REMOTE_ADDR", ""))
            and request.path_info == _health_path()
        ):
            return resolve(request.path_info).func(request)
        return self.get_response(request)


def _health_path() -> str | None:
    try:
        return reverse(HEALTH_URL_NAME)
    except NoReverseMatch:  # a URLconf without the health check (tests use some)
        return None


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY (feature -> allowed origins; empty: nobody) as the
    Permissions-Policy header, unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


LOCKED_MESSAGES = ("database is locked", "database table is locked")
NOT_KEPT = ("csrfmiddlewaretoken",)  # a fresh token goes with the page


def is_database_locked(exception: BaseException) -> bool:
    """SQLite's "database is locked": a writer waited longer than the busy timeout."""
    return isinstance(exception, OperationalError) and any(text in str(exception) for text in LOCKED_MESSAGES)


class DatabaseBusyMiddleware:
    """When SQLite (the embedded mode) stays locked past its busy timeout, the request gets a
    Spanish 503 page instead of a 500. For a POST that page keeps what was typed: a form with
    every field sent as hidden inputs, which posts the same data to the same address again.
    Nothing was saved (services are atomic), so the resubmission writes once; a create form's
    request key (core.services.submit_once) would keep it from duplicating even if it had. Passwords and attached files are not
    kept: the view's own form asks for them again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_locked(exception):
            return None
        fields = []
        if request.method == "POST":
            fields = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in NOT_KEPT and "password" not in name.lower()
                for value in values
            ]
        response = render(
            request,
            "database_busy.html",
            {
                "resubmit": request.method == "POST",
                "fields": fields,
                "files": sorted({upload.name for upload in request.FILES.values()}),
            },
            status=503,
        )
        response["Retry-After"] = "5"
        add_never_cache_headers(response)
        return response
