"""Downloads of the lists as CSV or XLSX, with the list page's query string (its filters).

A list of at most settings.EXPORT_SYNC_MAX_ROWS rows downloads at once; a longer one shows a
page that offers to prepare it in the background (a POST, so following a link never starts a
job), then the job's page, which htmx refreshes until its file is ready."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import permission_view
from rial_site.downloads import serve_private_file

from . import selectors, services
from .forms import ExportRequestForm
from .lists import ExportList, export_list_get
from .models import ExportJob, FileFormat
from .permissions import USE_EXPORTS

CONTENT_TYPES = {
    FileFormat.CSV: "text/csv; charset=utf-8",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

exports_required = permission_view(USE_EXPORTS)


def _export_list(name: str, file_format: str) -> ExportList:
    if file_format not in FileFormat.values:
        raise Http404
    return export_list_get(name)


def _refused(request, export_list: ExportList, errors: list[str]):
    return render(request, "exports/refused.html", {"export_list": export_list, "errors": errors}, status=400)


@login_required
@require_GET
def download(request, name, file_format):
    export_list = _export_list(name, file_format)
    try:
        result = services.export_now(
            export_list=export_list, file_format=file_format, user=request.user, filters=request.GET
        )
    except services.ExportRefused as refusal:
        return _refused(request, export_list, refusal.errors)
    if isinstance(result, services.TooLong):
        return render(
            request,
            "exports/confirm.html",
            {
                "export_list": export_list,
                "file_format": file_format,
                "count": result.rows,
                "limit": result.limit,
                "form": ExportRequestForm(),
            },
        )
    response = HttpResponse(result.content, content_type=CONTENT_TYPES[FileFormat(file_format)])
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=result.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def request_job(request, name, file_format):
    export_list = _export_list(name, file_format)
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        return _refused(request, export_list, [str(error) for errors in form.errors.values() for error in errors])
    try:
        job = services.export_request(
            export_list=export_list,
            file_format=file_format,
            filters=request.GET,
            by=request.user,
            request_key=form.cleaned_data["request_key"],
        )
    except services.ExportRefused as refusal:
        return _refused(request, export_list, refusal.errors)
    return redirect("exports:job", job.pk)


@exports_required
def job_detail(request, pk):
    """The job's progress; htmx polls the fragment while it is queued or running."""
    job = selectors.export_job_get(user=request.user, pk=pk)
    context = {"job": job, "export_list": export_list_get(job.list_name)}
    if request.htmx:
        return render(request, "exports/_job.html", context)
    return render(request, "exports/job.html", context)


@exports_required
def job_download(request, pk):
    job = selectors.export_job_get(user=request.user, pk=pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return serve_private_file(job.file, job.file_name, CONTENT_TYPES[FileFormat(job.file_format)])
