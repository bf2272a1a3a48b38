"""Site-wide middleware: the container's health probe and the Permissions-Policy header."""

import ipaddress

from django.conf import settings
from django.urls import resolve, reverse

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
            and request.path_info == reverse(HEALTH_URL_NAME)
        ):
            return resolve(request.path_info).func(request)
        return self.get_response(request)


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
