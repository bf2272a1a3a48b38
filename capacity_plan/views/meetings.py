"""Attendance of a virtual session from its Zoom or Teams participants report: upload → preview
(people, summed minutes, who was matched and how, row-by-row errors, the unmatched to assign by
hand) → confirm (every mark or none)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import selectors
from ..imports.meetings import meeting_import_confirm, meeting_import_upload
from .common import editor_required


class MeetingImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Reporte de participantes (CSV de Zoom o de Teams)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt"}),
    )
    minimum_minutes = forms.IntegerField(
        label=gettext_lazy("Minutos mínimos para contar como presente"), min_value=1, max_value=1440
    )


def _by_hand(request, roster_ids: set[int]) -> dict[int, int]:
    chosen: dict[int, int] = {}
    for name, value in request.POST.items():
        if name.startswith("servant-") and value:
            try:
                index, pk = int(name.removeprefix("servant-")), int(value)
            except ValueError:
                continue
            if pk in roster_ids:
                chosen[index] = pk
    return chosen


@editor_required
def meeting_attendance_import(request, pk):
    session = selectors.session_get(pk=pk)
    default_minimum = max(1, int(session.duration_hours * 60 * 3 / 4))
    form = MeetingImportForm(
        (request.POST or None) if "confirm" not in request.POST else None,
        request.FILES or None,
        initial={"minimum_minutes": default_minimum},
    )
    roster = [row.servant for row in selectors.attendance_grid(session=session)]
    report, token, minimum = None, "", default_minimum
    if request.method == "POST" and "confirm" in request.POST:
        token = request.POST.get("token", "")
        try:
            minimum = int(request.POST.get("minimum_minutes", ""))
            report = meeting_import_confirm(
                session=session,
                token=token,
                minimum_minutes=minimum,
                by_hand=_by_hand(request, {servant.pk for servant in roster}),
                by=request.user,
            )
        except (ValueError, ValidationError) as error:
            messages.error(
                request, error.messages[0] if isinstance(error, ValidationError) else _("Vuelva a subir el archivo.")
            )
            return redirect(request.path)
        marks = report.marks()
        present = sum(1 for status in marks.values() if status == "present")
        messages.success(
            request,
            _("Se importó el reporte: %(present)s presentes y %(absent)s ausentes; %(unmatched)s personas sin asignar.")
            % {"present": present, "absent": len(marks) - present, "unmatched": len(report.unmatched)},
        )
        return redirect("capacity_plan:attendance", session.pk)
    if request.method == "POST" and form.is_valid():
        minimum = form.cleaned_data["minimum_minutes"]
        try:
            report, preview = meeting_import_upload(
                session=session, uploaded=form.cleaned_data["file"], minimum_minutes=minimum, by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error.messages[0])
        else:
            token = str(preview.token) if preview else ""
    return render(
        request,
        "capacity_plan/meeting_import.html",
        {
            "session": session,
            "action": session.action,
            "form": form,
            "report": report,
            "token": token,
            "minimum": minimum,
            "roster": roster,
            "back_url": reverse("capacity_plan:attendance", args=[session.pk]),
        },
    )
