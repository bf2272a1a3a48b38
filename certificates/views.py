from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from accounts.decorators import permission_view
from accounts.security import client_ip
from capacity_plan.selectors import action_get
from cooperations.selectors import cooperation_get
from rial_site.downloads import serve_private_file

from . import selectors, services
from .forms import IssueForm, RevokeForm
from .models import CertificateKind
from .permissions import (
    CERTIFICATES_AREA,
    ISSUE_PARTICIPATION_CERTIFICATES,
    ISSUE_TRAINING_CERTIFICATES,
    REVOKE_CERTIFICATE,
)


def _subject_url(subject) -> str:
    return subject.get_absolute_url() + "#certificados"


@permission_view(ISSUE_TRAINING_CERTIFICATES)
@require_POST
def action_issue(request, pk):
    """«Emitir certificados» on an action's page: one job; the page then follows its progress."""
    action = action_get(pk=pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La solicitud no es válida: vuelva a abrir la página e inténtelo de nuevo."))
        return redirect(_subject_url(action))
    try:
        services.training_certificates_request(
            action=action, by=request.user, request_key=form.cleaned_data["request_key"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La emisión de certificados quedó en cola."))
    return redirect(_subject_url(action))


@permission_view(ISSUE_PARTICIPATION_CERTIFICATES)
@require_POST
def cooperation_issue(request, pk):
    """OEA staff issue the certificates of participation of a cooperation's participants."""
    cooperation = cooperation_get(user=request.user, pk=pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("La solicitud no es válida: vuelva a abrir la página e inténtelo de nuevo."))
        return redirect(_subject_url(cooperation))
    try:
        services.participation_certificates_request(
            cooperation=cooperation, by=request.user, request_key=form.cleaned_data["request_key"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("La emisión de certificados de participación quedó en cola."))
    return redirect(_subject_url(cooperation))


def _job_context(request, job) -> dict:
    return {"job": job, "subject_url": _subject_url(job.subject)}


@permission_view(CERTIFICATES_AREA)
def job_detail(request, pk):
    """A job's progress; htmx polls the fragment (on the action or cooperation page) while it runs."""
    job = selectors.job_get(pk=pk, user=request.user)
    context = _job_context(request, job)
    if request.htmx:
        return render(request, "certificates/_job.html", context)
    return render(request, "certificates/job.html", context)


@permission_view(CERTIFICATES_AREA)
def job_archive(request, pk):
    job = selectors.job_get(pk=pk, user=request.user)
    return serve_private_file(job.archive, job.archive_name, "application/zip")


@permission_view(CERTIFICATES_AREA)
def certificate_download(request, pk):
    certificate = selectors.certificate_get(pk=pk, user=request.user)
    return serve_private_file(certificate.file, certificate.file_name, "application/pdf")


@permission_view(CERTIFICATES_AREA)
def certificate_revoke(request, pk):
    """A confirmation page asking for the reason; the certificate's history below."""
    certificate = selectors.certificate_get(pk=pk, user=request.user, revoke=True)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Se revocó el certificado de %(name)s.") % {"name": certificate.holder_name})
            subject = certificate.action if certificate.kind == CertificateKind.TRAINING else certificate.cooperation
            return redirect(_subject_url(subject))
    return render(
        request,
        "certificates/revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "history": selectors.certificate_history(certificate=certificate),
            "can_revoke": request.user.has_perm(REVOKE_CERTIFICATE, certificate),
        },
    )


def _verification_rate(group, request) -> str:
    return settings.CERTIFICATE_VERIFICATION_RATE


def _client_key(group, request) -> str:
    return client_ip(request)


@cache_control(private=True, no_cache=True)
def verify(request, code):
    """Public (no account): the facts of the certificate a code names, and whether it is valid.
    Nothing else: no DNI, no other people. Rate-limited per client address."""
    if is_ratelimited(request, group="certificates.verify", key=_client_key, rate=_verification_rate, increment=True):
        return render(request, "certificates/verify_limited.html", status=429)
    certificate = selectors.certificate_for_code(code=code)
    response = render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "code": code[:64]},
        status=200 if certificate else 404,
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
