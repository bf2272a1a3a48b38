from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT requests (e.g. "1000/hour") per personal token; a signed-in browser counts
    per user, a request without credentials per address. Counted in the default cache."""

    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT  # read at each request, so a changed setting applies at once

    def get_cache_key(self, request, view) -> str:
        digest = getattr(request.auth, "digest", None)
        if digest:
            ident = f"token-{digest[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
