from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import ImportForm
from ..imports import ImportKind, ImportReport, import_confirm, import_upload
from ..imports.jobs import import_job_confirm, import_job_is_stale, import_job_retry, import_job_start, import_needs_job
from ..models import ImportJob, SurveyAspect
from .common import editor_required

TITLES = {
    ImportKind.PARTICIPANTS: gettext_lazy("Importar participantes"),
    ImportKind.ATTENDANCE: gettext_lazy("Importar registro de asistencia"),
    ImportKind.SURVEYS: gettext_lazy("Importar encuestas de satisfacción"),
}


def _import_page(request, *, kind: ImportKind, target, back_url, context):
    """Upload → preview (dry run with row-by-row errors) → confirm (writes all rows or none)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report, token = None, None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            report = import_confirm(
                kind=kind,
                target=target,
                token=request.POST.get("token", ""),
                rename=request.POST.get("rename") == "1",
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(request.path)
        if report.valid:
            messages.success(
                request,
                _("Importación terminada: %(new)s nuevos, %(updated)s actualizados, %(skipped)s sin cambios.")
                % {"new": report.new, "updated": report.updated, "skipped": report.skipped},
            )
            return redirect(back_url)
    elif request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if import_needs_job(uploaded=uploaded):
                job = import_job_start(kind=kind, target=target, uploaded=uploaded, by=request.user)
                return redirect("capacity_plan:import_job", job.pk)
            report, preview = import_upload(kind=kind, target=target, uploaded=uploaded, by=request.user)
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            token = None if preview is None else str(preview.token)
    return render(
        request,
        "capacity_plan/import.html",
        {"form": form, "report": report, "token": token, "title": TITLES[kind], "back_url": back_url, **context},
    )


@editor_required
def participants_import(request):
    return _import_page(
        request,
        kind=ImportKind.PARTICIPANTS,
        target=None,
        back_url=reverse("capacity_plan:actions"),
        context={"columns": _("Nombres y apellidos, DNI, Correo electrónico, Región, Cargo")},
    )


@editor_required
def attendance_import(request, pk):
    session = selectors.session_get(pk=pk)
    return _import_page(
        request,
        kind=ImportKind.ATTENDANCE,
        target=session,
        back_url=reverse("capacity_plan:attendance", args=[session.pk]),
        context={
            "session": session,
            "action": session.action,
            "columns": _(
                "Nombres y apellidos, DNI, Correo electrónico, Región, Cargo, "
                "Asistencia (opcional: Presente / Ausente / Justificado)"
            ),
        },
    )


@editor_required
def survey_import(request, pk):
    action = selectors.action_get(pk=pk)
    return _import_page(
        request,
        kind=ImportKind.SURVEYS,
        target=action,
        back_url=action.get_absolute_url(),
        context={
            "action": action,
            "columns": _("Marca temporal, %(aspects)s (1 a 5), Comentarios; DNI o correo y Región si no es anónima")
            % {"aspects": ", ".join(str(aspect.label) for aspect in SurveyAspect)},
        },
    )


def _job_back_url(job: ImportJob) -> str:
    if job.kind == ImportKind.ATTENDANCE:
        return reverse("capacity_plan:attendance", args=[job.target_id])
    if job.kind == ImportKind.SURVEYS:
        return reverse("capacity_plan:action", args=[job.target_id])
    return reverse("capacity_plan:actions")


@editor_required
def import_job(request, pk):
    """A big import's progress; htmx polls the fragment while the worker reads or writes it,
    then it shows the same preview (and confirm button) or result as a small import."""
    job = selectors.import_job_get(pk=pk, user=request.user)
    context = {
        "job": job,
        "title": TITLES[ImportKind(job.kind)],
        "report": ImportReport.from_json(job.report) if job.report else None,
        "is_stale": import_job_is_stale(job=job),
        "back_url": _job_back_url(job),
        "confirm_url": reverse("capacity_plan:import_job_confirm", args=[job.pk]),
    }
    template = "capacity_plan/_import_job.html" if request.htmx else "capacity_plan/import_job.html"
    return render(request, template, context)


@editor_required
@require_POST
def import_job_confirm_view(request, pk):
    job = selectors.import_job_get(pk=pk, user=request.user)
    try:
        import_job_confirm(job=job, by=request.user, rename=request.POST.get("rename") == "1")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("capacity_plan:import_job", job.pk)


@editor_required
@require_POST
def import_job_retry_view(request, pk):
    job = selectors.import_job_get(pk=pk, user=request.user)
    import_job_retry(job=job, by=request.user)
    return redirect("capacity_plan:import_job", job.pk)
