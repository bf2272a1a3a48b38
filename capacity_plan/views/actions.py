import copy
import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.decorators import permission_view
from certificates import selectors as certificate_selectors
from core.formats import short_date_text
from core.responses import redirect_after
from core.services import submit_once

from .. import check_in, selectors, services
from ..catalogue import PDF_MAX_ACTIONS, catalogue_pdf, catalogue_xlsx, file_name
from ..forms import (
    ActionSessionForm,
    AttendanceGridForm,
    CancelForm,
    GuidanceForm,
    RegionFilterForm,
    RescheduleForm,
    ServantForm,
    SurveyResponseForm,
    TrainingActionForm,
)
from ..guidance import recommendations_for
from ..models import TrainingAction
from ..permissions import EDIT_PLAN, REMOVE_ACTION
from .common import editor_required, viewer_required

PAGE_SIZE = 25
remover_required = permission_view(REMOVE_ACTION)


@viewer_required
def action_list(request):
    action_filter, actions = selectors.action_search(filters=request.GET)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "capacity_plan/action_list.html",
        {
            "filter": action_filter,
            "page": page,
            "query": query.urlencode(),
            "can_edit": request.user.has_perm(EDIT_PLAN),
        },
    )


@viewer_required
def action_detail(request, pk):
    action = selectors.action_get(pk=pk)
    return render(
        request,
        "capacity_plan/action_detail.html",
        {
            "action": action,
            **selectors.action_summary(action=action),
            "registers": check_in.action_registers(action=action),
            "can_edit": request.user.has_perm(EDIT_PLAN),
            "can_remove": request.user.has_perm(REMOVE_ACTION),
            "certificates_panel": certificate_selectors.action_certificates_panel(action=action, user=request.user),
        },
    )


def _action_form_page(request, action):
    conflict = None
    initial = {}
    if action.pk is None and request.GET.get("hito"):
        initial["milestone"] = request.GET["hito"]
    form = TrainingActionForm(request.POST or None, instance=action, initial=initial)
    if request.method == "POST" and form.is_valid() and action.pk is None:
        try:
            return _create_action(request, form)
        except ValidationError as error:
            form.add_error(None, error)
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.action_save(
                action=action,
                fields=form.action_fields(),
                regions=form.cleaned_data["target_regions"],
                expected_revision=form.cleaned_data["expected_revision"],
                by=request.user,
            )
        except services.StaleActionError as error:
            conflict = error.current
            data = request.POST.copy()
            data["expected_revision"] = str(error.current.revision)
            # A copy of its own: the form writes what was submitted into its instance, and
            # `conflict` must keep showing what is stored.
            form = TrainingActionForm(data, instance=copy.copy(error.current))
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Se guardó la acción formativa «%(title)s».") % {"title": saved.title})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "capacity_plan/action_form.html",
        {
            "form": form,
            "action": action if action.pk else None,
            "conflict": conflict,
            "guidance_form": GuidanceForm(request.GET or None),
        },
    )


def _create_action(request, form):
    """A new training action, once however often its form is sent."""
    submission = submit_once(
        key=form.cleaned_data["request_key"],
        by=request.user,
        create=lambda: services.action_save(
            action=TrainingAction(),
            fields=form.action_fields(),
            regions=form.cleaned_data["target_regions"],
            expected_revision=None,
            by=request.user,
        ),
        url_of=lambda saved: saved.get_absolute_url(),
    )
    return redirect_after(
        request, submission, lambda saved: _("Se guardó la acción formativa «%(title)s».") % {"title": saved.title}
    )


@editor_required
def action_create(request):
    return _action_form_page(request, TrainingAction())


@editor_required
def action_edit(request, pk):
    return _action_form_page(request, selectors.action_get(pk=pk))


@editor_required
def action_reschedule(request, pk):
    action = selectors.action_get(pk=pk)
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_reschedule(
                action=action,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("La acción quedó reprogramada para el %(date)s.")
                % {"date": short_date_text(form.cleaned_data["new_date"])},
            )
            return redirect(action.get_absolute_url())
    return render(
        request,
        "capacity_plan/action_status_form.html",
        {"action": action, "form": form, "title": _("Reprogramar acción formativa")},
    )


@editor_required
def action_cancel(request, pk):
    action = selectors.action_get(pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.action_cancel(action=action, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("La acción quedó cancelada."))
        return redirect(action.get_absolute_url())
    return render(
        request,
        "capacity_plan/action_status_form.html",
        {"action": action, "form": form, "title": _("Cancelar acción formativa")},
    )


@remover_required
def action_delete(request, pk):
    """«Eliminar acción»: a confirmation page that says which registers keep the action (then it
    cannot be deleted); the deletion stays in the action's history."""
    action = selectors.action_get(pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.action_delete(action=action, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Se eliminó la acción formativa «%(title)s»; su historial la conserva.") % {"title": action.title},
            )
            return redirect("capacity_plan:actions")
    return render(
        request,
        "capacity_plan/action_confirm_delete.html",
        {"action": action, "dependents": selectors.action_dependents(action=action), "error": error},
    )


@editor_required
def action_session_create(request, pk):
    action = selectors.action_get(pk=pk)
    form = ActionSessionForm(request.POST or None, initial={"date": action.planned_start})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submission = submit_once(
            key=data["request_key"],
            by=request.user,
            create=lambda: services.action_session_add(
                action=action,
                date=data["date"],
                duration_hours=data["duration_hours"],
                topic=data["topic"],
                by=request.user,
            ),
            url_of=lambda session: reverse("capacity_plan:attendance", args=[session.pk]),
        )
        return redirect_after(
            request,
            submission,
            lambda session: _("Se añadió la sesión del %(date)s.") % {"date": short_date_text(session.date)},
        )
    return render(
        request, "capacity_plan/action_status_form.html", {"action": action, "form": form, "title": _("Añadir sesión")}
    )


@editor_required
def attendance_grid(request, pk):
    session = selectors.session_get(pk=pk)
    region_form = RegionFilterForm(request.GET or None)
    region_id = (
        region_form.cleaned_data["region"].pk if region_form.is_valid() and region_form.cleaned_data["region"] else None
    )
    servant_form = ServantForm(prefix="nuevo")
    if request.method == "POST" and "add-servant" in request.POST:
        servant_form = ServantForm(request.POST, prefix="nuevo")
        if servant_form.is_valid():
            recorded = services.attendance_record(
                session=session, marks={}, new_servants=[servant_form.servant_details], by=request.user
            )
            messages.success(request, _("Se añadió a %(name)s como presente.") % {"name": recorded.added[0].full_name})
            return redirect(request.get_full_path())
    elif request.method == "POST":
        grid_form = AttendanceGridForm(request.POST)
        if not grid_form.is_valid():
            for error in grid_form.non_field_errors():
                messages.error(request, str(error))
        else:
            try:
                recorded = services.attendance_record(
                    session=session,
                    marks=grid_form.cleaned_data["marks"],
                    originals=grid_form.cleaned_data["originals"],
                    by=request.user,
                )
            except services.AttendanceConflictError as error:
                messages.error(
                    request,
                    _(
                        "No se guardó: otra persona cambió la asistencia de %(names)s mientras usted "
                        "marcaba. La grilla muestra ahora las marcas actuales; revíselas y guarde de "
                        "nuevo."
                    )
                    % {"names": ", ".join(selectors.servant_names(pks=error.servant_ids))},
                )
                return redirect(request.get_full_path())
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request, _("Se guardó la asistencia: %(count)s registros en la sesión.") % {"count": recorded.count}
                )
                return redirect(request.get_full_path())
    rows = selectors.attendance_grid(session=session, region_id=region_id)
    return render(
        request,
        "capacity_plan/attendance_grid.html",
        {
            "session": session,
            "action": session.action,
            "rows": rows,
            "region_form": region_form,
            "servant_form": servant_form,
            "statuses": [
                ("present", _("Presente")),
                ("absent", _("Ausente")),
                ("justified", _("Justificado")),
                ("", _("Sin registro")),
            ],
        },
    )


@editor_required
def survey_response_create(request, pk):
    action = selectors.action_get(pk=pk)
    form = SurveyResponseForm(request.POST or None, roster=selectors.action_participants(action=action))
    if request.method == "POST" and form.is_valid():
        submission = submit_once(
            key=form.cleaned_data["request_key"],
            by=request.user,
            create=lambda: services.survey_response_create(
                action=action,
                servant=form.cleaned_data["servant"],
                ratings=form.ratings(),
                comments=form.cleaned_data["comments"],
                by=request.user,
            ),
            url_of=lambda response: action.get_absolute_url(),
        )
        return redirect_after(request, submission, lambda response: _("Se registró la respuesta de la encuesta."))
    return render(request, "capacity_plan/survey_form.html", {"action": action, "form": form})


def _catalogue_query(request, month: datetime.date) -> str:
    """The request's catalogue choices (region, UO) with the given month."""
    query = request.GET.copy()
    query["mes"] = f"{month:%Y-%m}"
    return query.urlencode()


@viewer_required
def monthly_catalogue(request):
    catalogue = selectors.monthly_catalogue(filters=request.GET)
    return render(
        request,
        "capacity_plan/catalogue.html",
        {
            "catalogue": catalogue,
            "query": _catalogue_query(request, catalogue.month),
            "previous_query": _catalogue_query(request, catalogue.previous),
            "following_query": _catalogue_query(request, catalogue.following),
        },
    )


@viewer_required
def monthly_catalogue_pdf(request):
    catalogue = selectors.monthly_catalogue(filters=request.GET)
    if catalogue.count > PDF_MAX_ACTIONS:
        messages.error(
            request,
            _(
                "El catálogo de este mes tiene %(count)s acciones: demasiadas para un PDF. Descargue el XLSX "
                "o elija una región o una unidad orgánica."
            )
            % {"count": catalogue.count},
        )
        return redirect(reverse("capacity_plan:catalogue") + "?" + _catalogue_query(request, catalogue.month))
    response = HttpResponse(catalogue_pdf(catalogue), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(catalogue, "pdf")
    )
    return response


@viewer_required
def monthly_catalogue_xlsx(request):
    catalogue = selectors.monthly_catalogue(filters=request.GET)
    response = HttpResponse(
        catalogue_xlsx(catalogue), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(catalogue, "xlsx")
    )
    return response


@viewer_required
def guidance(request):
    form = GuidanceForm(request.GET or None)
    recommendation = recommendations_for(form.cleaned_data["profile"]) if form.is_valid() else None
    return render(request, "capacity_plan/_guidance.html", {"recommendation": recommendation, "guidance_form": form})
