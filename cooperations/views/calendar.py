from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from accounts.decorators import require

from .. import selectors
from ..calendar import build_calendar, user_for_feed_token
from ..permissions import COOPERATIONS_AREA, SEE_COOPERATION
from .common import area_required


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@area_required
def cooperation_calendar(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, SEE_COOPERATION, cooperation)
    sessions, steps = selectors.calendar_items(
        cooperations=selectors.cooperation_visible(user=request.user).filter(pk=cooperation.pk)
    )
    content = build_calendar(
        name=cooperation.short_name,
        sessions=sessions,
        steps=steps,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, f"cooperacion-{cooperation.pk}.ics")


def personal_calendar(request, token):
    """A calendar application cannot sign in: the secret token in the address identifies the user."""
    user = user_for_feed_token(token)
    if user is None or not user.has_perm(COOPERATIONS_AREA):
        raise Http404
    sessions, steps = selectors.calendar_items(cooperations=selectors.cooperation_visible(user=user))
    content = build_calendar(
        name=_("Mis cooperaciones RIAL"),
        sessions=sessions,
        steps=steps,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return _ics_response(content, "mis-cooperaciones.ics")
