from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import registry, selectors, services
from .forms import PreferencesForm


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    services.notification_titles(page.object_list)
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def notification_open(request, pk):
    """Mark one notification read and go to the page it is about."""
    notification = services.notification_mark_read(user=request.user, pk=pk)
    if notification is None:
        raise Http404  # somebody else's: not revealed
    if request.POST.get("stay"):
        return redirect("notifications:list")
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        url = "/"
    return redirect(url)


@login_required
@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notificaciones marcadas como leídas.") % {"count": count})
    return redirect("notifications:list")


def _preferences_page(request, *, user: User, action: str):
    rows = selectors.preference_rows(user=user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=user, choices=form.choices())
        messages.success(request, _("Preferencias guardadas."))
        return redirect(action)
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "subject_user": user, "action": action, "digest_hour": settings.NOTIFICATION_DIGEST_HOUR},
    )


@login_required
def preferences(request):
    return _preferences_page(request, user=request.user, action=request.path)


def _token_user(token: str, *, salt: str) -> tuple[User, dict]:
    try:
        payload = services.token_user_id(token, salt=salt)
    except signing.BadSignature:
        raise PermissionDenied(_("El enlace no es válido: ábralo tal como llegó en el correo.")) from None
    return selectors.active_user_get(pk=payload["u"]), payload


def signed_preferences(request, token):
    """The preferences of the link's own user, signed-out too (the link in every e-mail). A
    different signed-in user is refused: the link changes only its own user's choices."""
    user, _payload = _token_user(token, salt=services.PREFERENCES_SALT)
    if request.user.is_authenticated and request.user.pk != user.pk:
        raise PermissionDenied(_("Este enlace es de otra persona."))
    return _preferences_page(request, user=user, action=request.path)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session or token; the link is signed
def unsubscribe(request, token):
    """GET: a page to confirm turning one kind off; POST (the mail client's one click, or the
    page's button): turn it off."""
    user, payload = _token_user(token, salt=services.UNSUBSCRIBE_SALT)
    kind_key = payload.get("k")
    if kind_key not in registry.kinds():
        return HttpResponseBadRequest(_("Tipo de notificación desconocido."))
    if request.user.is_authenticated and request.user.pk != user.pk:
        raise PermissionDenied(_("Este enlace es de otra persona."))
    kind = registry.kind_get(kind_key)
    if request.method == "POST":
        services.preference_turn_off(user=user, kind=kind_key)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Listo: ya no recibirá estos correos."), content_type="text/plain; charset=utf-8")
        return render(
            request, "notifications/unsubscribed.html", {"kind": kind, "token": services.preferences_token(user=user)}
        )
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "subject_user": user})
