"""Request helpers for security features (sign-in throttling)."""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip(request) -> str:
    """The client's address: the socket's, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    address the outermost trusted proxy saw (X-Forwarded-For, counted from the right, so a
    client cannot forge it by sending its own header). Something that is not an address there
    (only a client reaching gunicorn directly can send that) counts as the socket's address."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count and _is_address(forwarded[-count]):
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def _parameter_key(parameter: str | list[str]) -> tuple[str, ...]:
    return (parameter,) if isinstance(parameter, str) else tuple(parameter)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit of its own for each lock-out parameter
    (settings.SIGN_IN_FAILURE_LIMITS; axes itself has one AXES_FAILURE_LIMIT for all), and a
    successful sign-in that forgives only the failures of that name from that address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failure count axes compares with AXES_FAILURE_LIMIT: for each parameter (name and
        address, name, address), its failures scaled so that reaching its own limit reaches
        AXES_FAILURE_LIMIT; the highest of them."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        scores = [0]
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own_limit = settings.SIGN_IN_FAILURE_LIMITS.get(_parameter_key(parameter), limit)
            scores.append(failures * limit // own_limit)
        return max(scores)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """Axes would delete every attempt matching any parameter: all failures from the address
        (so an attacker with an account could clear their spraying count by signing in) and
        all failures for the name from anywhere. Only that name from that address is forgiven."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
