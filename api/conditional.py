"""ETag and Last-Modified on every successful read, and 304 Not Modified when the client
already holds it (If-None-Match / If-Modified-Since, as django.utils.cache answers them).

The ETag is a hash of the response's body, so it changes exactly when what this user would
read changes (another user's scope gives another body, hence another ETag). Last-Modified is
sent where the endpoint knows when its data last changed (the cooperations', from the change
history); If-None-Match wins over If-Modified-Since, as RFC 9110 says."""

import datetime
import hashlib

from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag


class ConditionalGetMixin:
    def last_modified(self) -> datetime.datetime | None:
        """When the data behind this endpoint last changed; None when unknown (ETag only)."""
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        patch_vary_headers(response, ["Authorization", "Cookie"])
        patch_cache_control(response, private=True, no_cache=True)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
        response["ETag"] = etag
        moment = self.last_modified()
        timestamp = int(moment.timestamp()) if moment else None
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)
