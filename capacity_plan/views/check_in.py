"""Self check-in: the staff page that opens a session's link (with its QR code), the live counts
on the action page, and the public check-in and survey pages (no account; capacity_plan.public_urls)."""

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from accounts.security import client_ip

from .. import check_in, selectors
from ..check_in_forms import (
    CheckInLinkForm,
    DocumentForm,
    PublicSurveyForm,
    ServantDetailsForm,
    identity_dumps,
    identity_loads,
)
from ..permissions import EDIT_PLAN
from .common import editor_required, viewer_required


def _qr_svg(url: str) -> str:
    """The address as a QR code, inline SVG (no script, no external image: within the CSP)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True, svgclass="qr-code")


@editor_required
def check_in_manage(request, pk):
    """«Registro de asistencia por enlace»: open, close or renew a session's check-in link; the
    link and its QR code to project or paste in the meeting's chat."""
    session = selectors.session_get(pk=pk)
    link = check_in.check_in_link_current(session=session)
    if link is not None:
        initial = {"opens_at": timezone.localtime(link.opens_at), "closes_at": timezone.localtime(link.closes_at)}
    else:
        opens_at, closes_at = check_in.check_in_default_window(session=session)
        initial = {"opens_at": timezone.localtime(opens_at), "closes_at": timezone.localtime(closes_at)}
    form = CheckInLinkForm(request.POST if "open" in request.POST else None, initial=initial)
    if request.method == "POST":
        if "close" in request.POST:
            check_in.check_in_link_close(session=session, by=request.user)
            messages.success(request, _("Se cerró el registro de asistencia de esta sesión."))
            return redirect(request.path)
        if "renew" in request.POST:
            check_in.check_in_link_renew(session=session, by=request.user)
            messages.success(request, _("Se creó un enlace nuevo; el anterior ya no registra asistencia."))
            return redirect(request.path)
        if form.is_valid():
            try:
                check_in.check_in_link_open(
                    session=session,
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("El registro de asistencia quedó abierto con el horario indicado."))
                return redirect(request.path)
    active = link if link is not None and link.state == link.State.ACTIVE else None
    url = check_in.check_in_url(link=active) if active else ""
    return render(
        request,
        "capacity_plan/check_in_manage.html",
        {
            "session": session,
            "action": session.action,
            "link": link,
            "active": active,
            "url": url,
            "qr": mark_safe(_qr_svg(url)) if url else "",  # noqa: S308  (segno's own markup of our own address)
            "refusal": check_in.check_in_link_refusal(link=active, now=timezone.now()) if active else None,
            "form": form,
            "opens_before": settings.CHECK_IN_OPENS_BEFORE_MINUTES,
            "closes_after": settings.CHECK_IN_CLOSES_AFTER_MINUTES,
            "registers": [row for row in check_in.action_registers(action=session.action) if row.session == session],
        },
    )


@viewer_required
def action_registers(request, pk):
    """The live counts of an action's registers (polled by htmx on the action page)."""
    action = selectors.action_get(pk=pk)
    return render(
        request,
        "capacity_plan/_action_registers.html",
        {
            "action": action,
            "registers": check_in.action_registers(action=action),
            "can_edit": request.user.has_perm(EDIT_PLAN),
        },
    )


# --- Public pages (no account) ---------------------------------------------------------------


def _per_address(group, request) -> str:
    return settings.CHECK_IN_RATE_PER_ADDRESS


def _per_link(group, request) -> str:
    return settings.CHECK_IN_RATE_PER_LINK


def _address(group, request) -> str:
    return client_ip(request)


def _link_key(group, request) -> str:
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    return str(kwargs.get("token") or kwargs.get("ticket") or "")


def _limited(request):
    return render(request, "capacity_plan/public/too_many_requests.html", status=429)


def _public_page(request, template: str, context: dict, status: int = 200):
    response = render(request, f"capacity_plan/public/{template}", context, status=status)
    response["Referrer-Policy"] = "same-origin"  # the code in the address is never sent to other sites
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@ratelimit(group="check_in:address", key=_address, rate=_per_address, block=False)
@ratelimit(group="check_in:link", key=_link_key, rate=_per_link, block=False)
def public_check_in(request, token):
    """Step 1: the DNI (with the bot guard). A known servant then only confirms (step 2a); an
    unknown one gives their details (step 2b). Nothing about anyone else is ever shown."""
    if getattr(request, "limited", False):
        return _limited(request)
    link = check_in.check_in_link_by_token(token=token)
    if link is None:
        return _public_page(request, "check_in_refused.html", {"message": _("Este enlace de registro no existe.")}, 404)
    context = {"link": link, "session": link.session, "action": link.session.action}
    refusal = check_in.check_in_link_refusal(link=link, now=timezone.now())
    if refusal is not None:
        return _public_page(
            request, "check_in_refused.html", {**context, "message": refusal.message}, 410 if refusal.gone else 200
        )
    step = request.POST.get("step", "") if request.method == "POST" else ""
    if step in ("confirm", "details"):
        document_number = identity_loads(request.POST.get("identity", ""), link_id=link.pk)
        if document_number is None:
            messages.error(request, _("Pasó demasiado tiempo desde que escribió su DNI; escríbalo de nuevo."))
            return redirect(request.path)
        details_form = ServantDetailsForm(request.POST) if step == "details" else None
        if details_form is not None and not details_form.is_valid():
            return _public_page(
                request,
                "check_in_details.html",
                {**context, "form": details_form, "identity": request.POST.get("identity", "")},
            )
        return _record(request, link, context, document_number, details_form.cleaned_data if details_form else None)
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document_number = form.cleaned_data["document_number"]
        identity = identity_dumps(document_number=document_number, link_id=link.pk)
        if check_in.servant_by_document(document_number=document_number) is not None:
            return _public_page(request, "check_in_confirm.html", {**context, "identity": identity})
        return _public_page(
            request, "check_in_details.html", {**context, "form": ServantDetailsForm(), "identity": identity}
        )
    return _public_page(request, "check_in.html", {**context, "form": form})


def _record(request, link, context, document_number, details):
    try:
        result = check_in.check_in_record(link=link, document_number=document_number, details=details)
    except check_in.CheckInRefused as refusal:
        return _public_page(
            request, "check_in_refused.html", {**context, "message": refusal.message}, 410 if refusal.gone else 200
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(request.path)
    return _public_page(
        request, "check_in_done.html", {**context, "already": result.already, "check_in": result.check_in}
    )


@never_cache
@ratelimit(group="check_in:address", key=_address, rate=_per_address, block=False)
@ratelimit(group="check_in:survey", key=_link_key, rate=_per_link, block=False)
def public_survey(request, ticket):
    """The satisfaction survey of the session the ticket's holder checked in to, once."""
    if getattr(request, "limited", False):
        return _limited(request)
    entry = check_in.check_in_by_ticket(ticket=ticket)
    if entry is None:
        return _public_page(request, "check_in_refused.html", {"message": _("Este enlace de encuesta no existe.")}, 404)
    context = {"session": entry.session, "action": entry.session.action}
    if entry.survey_answered:
        return _public_page(request, "survey_done.html", {**context, "already": True})
    closed = check_in.survey_ticket_refusal(check_in=entry, now=timezone.now())
    if closed is not None:
        return _public_page(request, "check_in_refused.html", {**context, "message": closed.message}, 410)
    form = PublicSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = check_in.survey_self_submit(
            check_in=entry,
            ratings=form.ratings(),
            comments=form.cleaned_data["comments"],
            anonymous=form.cleaned_data["anonymous"],
        )
        return _public_page(request, "survey_done.html", {**context, "already": not saved})
    return _public_page(request, "survey.html", {**context, "form": form})
