"""Site-wide middleware: the container's health probe, the Permissions-Policy header, the
app's own error pages with DEBUG on, and the page shown when the embedded SQLite database stays
locked."""

import ipaddress

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.db import OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, get_resolver, get_urlconf, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

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


def sees_debug_pages(request) -> bool:
    """Whether Django's technical error pages (traceback, settings, URL patterns) may be shown:
    only with DEBUG on, and only to signed-in staff or superusers."""
    user = getattr(request, "user", None)
    return settings.DEBUG and user is not None and user.is_authenticated and bool(user.is_staff or user.is_superuser)


class StaffOnlyDebugPagesMiddleware:
    """With DEBUG on (the development default of `make run`) Django answers an unknown address or
    an uncaught exception with its technical pages, which show the URL patterns, the settings and
    the traceback to whoever asked. This keeps those pages for signed-in staff and superusers and
    gives everyone else the app's own Spanish 404, 400 and 500 pages, as production does; the
    traceback of a 500 still goes to the terminal (the `django.request` log, as Django logs it).
    With DEBUG off it does nothing: Django serves those pages itself.

    An unknown address is found before the view runs (Django turns it into the technical 404
    before any middleware could see the exception); an exception of a view comes to
    process_exception. Put it after AuthenticationMiddleware (it reads the user) and after
    CommonMiddleware (whose APPEND_SLASH redirect still sees the 404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG and not sees_debug_pages(request):
            try:
                resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
            except Resolver404 as error:
                return self._page(request, 404, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or sees_debug_pages(request) or isinstance(exception, PermissionDenied):
            return None  # production pages, technical pages for staff, or Django's own 403 page
        if isinstance(exception, Http404):
            return self._page(request, 404, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation, MultiPartParserError)):
            response = self._page(request, 400, exception)
            log_response("Bad Request: %s", request.path, response=response, request=request, exception=exception)
            return response
        signals.got_request_exception.send(sender=None, request=request)
        response = get_resolver(get_urlconf()).resolve_error_handler(500)(request)
        log_response("Internal Server Error: %s", request.path, response=response, request=request, exception=exception)
        return response

    @staticmethod
    def _page(request, status: int, exception: Exception):
        """The URLconf's handler for this status (handler404, handler400), as without DEBUG."""
        return get_exception_response(request, get_resolver(get_urlconf()), status, exception)
