from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.decorators import require
from core.responses import redirect_after
from core.services import is_request_key_error, submit_once
from rial_site.downloads import serve_private_file

from .. import selectors, services
from ..forms import DeliverableForm, DeliverableVersionForm
from ..permissions import REGISTER_DELIVERABLE, SEE_COOPERATION, UPLOAD_DELIVERABLE_VERSION
from .common import area_required


@area_required
def deliverable_create(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, REGISTER_DELIVERABLE, cooperation)
    form = DeliverableForm(
        request.POST or None,
        request.FILES or None,
        institutions=selectors.deliverable_institutions(user=request.user, cooperation=cooperation),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = submit_once(
                key=data["request_key"],
                by=request.user,
                create=lambda: services.deliverable_create(
                    cooperation=cooperation,
                    kind=data["kind"],
                    title=data["title"],
                    institution=data["institution"],
                    due_date=data["due_date"],
                    file=data["file"],
                    note=data["note"],
                    by=request.user,
                ),
                url_of=lambda deliverable: f"{cooperation.get_absolute_url()}#entregable-{deliverable.pk}",
            )
        except ValidationError as error:
            form.add_error("file" if data["file"] and not is_request_key_error(error) else None, error.messages[0])
        else:
            return redirect_after(
                request,
                submission,
                lambda deliverable: _("Se registró el entregable «%(title)s».") % {"title": deliverable.title},
            )
    return render(request, "cooperations/deliverable_form.html", {"cooperation": cooperation, "form": form})


@area_required
def deliverable_version_upload(request, deliverable_pk):
    deliverable = selectors.deliverable_get(user=request.user, pk=deliverable_pk)
    require(request.user, UPLOAD_DELIVERABLE_VERSION, deliverable)
    form = DeliverableVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = submit_once(
                key=form.cleaned_data["request_key"],
                by=request.user,
                create=lambda: services.deliverable_version_upload(
                    deliverable=deliverable,
                    file=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                ),
                url_of=lambda version: f"{deliverable.cooperation.get_absolute_url()}#entregable-{deliverable.pk}",
            )
        except ValidationError as error:
            form.add_error(None if is_request_key_error(error) else "file", error.messages[0])
        else:
            return redirect_after(
                request,
                submission,
                lambda version: (
                    _("Se guardó la versión %(number)s de «%(title)s».")
                    % {"number": version.number, "title": deliverable.title}
                ),
            )
    return render(
        request,
        "cooperations/deliverable_version_form.html",
        {
            "deliverable": deliverable,
            "cooperation": deliverable.cooperation,
            "form": form,
            "versions": selectors.deliverable_versions(deliverable=deliverable),
        },
    )


@area_required
def deliverable_version_download(request, version_pk):
    version = selectors.deliverable_version_get(user=request.user, pk=version_pk)
    require(request.user, SEE_COOPERATION, version.deliverable.cooperation)
    return serve_private_file(version.file, version.original_name, version.content_type)
