"""Request helpers for security features (sign-in throttling)."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: the socket's, or, behind TRUSTED_PROXY_COUNT reverse proxies, the
    address the outermost trusted proxy saw (X-Forwarded-For, counted from the right, so a
    client cannot forge it by sending its own header)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
