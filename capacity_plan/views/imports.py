from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..forms import ImportForm
from ..imports import ImportKind, import_confirm, import_upload
from ..models import SurveyAspect
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
        try:
            report, preview = import_upload(
                kind=kind, target=target, uploaded=form.cleaned_data["file"], by=request.user
            )
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
