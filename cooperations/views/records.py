from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import require
from certificates import selectors as certificate_selectors
from core.forms import ADD_ROWS, shown_as_typed, with_blank_rows
from core.responses import redirect_after
from core.services import Submission, submit_once
from reports import selectors as report_selectors
from reports.permissions import SEE_SUMMARIES

from .. import selectors, services
from ..calendar import personal_feed_token
from ..forms import (
    CallForm,
    CooperationForm,
    MethodologyFormSet,
    ObjectiveFormSet,
    ParticipationFormSet,
    RevisionForm,
    SessionForm,
    StepFormSet,
)
from ..history import cooperation_history as history_entries
from ..history import opened_rows
from ..models import Cooperation, Session
from ..permissions import (
    ANSWER_QUESTION,
    CREATE_CALL,
    EDIT_COOPERATION,
    FOLLOW_COOPERATION,
    MARK_STEP_DONE,
    REGISTER_DELIVERABLE,
    REMOVE_SESSION,
    SEE_ACCESS_CODES,
    SEE_COOPERATION,
    SEE_HISTORY,
    SUBMIT_QUESTIONS,
    UPLOAD_DELIVERABLE_VERSION,
)
from .common import EditedForm, area_required, edited_rows, save_merging

PAGE_SIZE = 20


@area_required
def cooperation_list(request):
    listing = selectors.cooperation_list(user=request.user, filters=request.GET)
    page = Paginator(listing.cooperations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cooperations/cooperation_list.html",
        {
            "filter": listing.filter,
            "page": page,
            "query": query.urlencode(),
            "can_create": request.user.has_perm(EDIT_COOPERATION),
        },
    )


@area_required
def cooperation_detail(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, SEE_COOPERATION, cooperation)
    record = selectors.cooperation_record(cooperation=cooperation)
    user = request.user
    for group in record.question_groups:
        for question in group.questions:
            question.can_answer = user.has_perm(ANSWER_QUESTION, question)
    for deliverable in record.deliverables:
        deliverable.can_upload = user.has_perm(UPLOAD_DELIVERABLE_VERSION, deliverable)
    for step in record.steps:
        step.can_mark = user.has_perm(MARK_STEP_DONE, step)
    return render(
        request,
        "cooperations/cooperation_detail.html",
        {
            "record": record,
            "cooperation": cooperation,
            "can_edit": user.has_perm(EDIT_COOPERATION, cooperation),
            "can_remove_sessions": user.has_perm(REMOVE_SESSION, cooperation),
            "can_see_codes": user.has_perm(SEE_ACCESS_CODES, cooperation),
            "can_submit_questions": user.has_perm(SUBMIT_QUESTIONS, cooperation),
            "can_add_deliverable": user.has_perm(REGISTER_DELIVERABLE, cooperation),
            "can_view_history": user.has_perm(SEE_HISTORY, cooperation),
            "can_follow": (can_follow := user.has_perm(FOLLOW_COOPERATION, cooperation)),
            "is_following": can_follow and selectors.cooperation_is_followed(cooperation=cooperation, user=user),
            "can_view_summaries": user.has_perm(SEE_SUMMARIES, cooperation),
            "summary_versions": (
                report_selectors.summary_versions(cooperation=cooperation)
                if user.has_perm(SEE_SUMMARIES, cooperation)
                else []
            ),
            "certificates_panel": certificate_selectors.cooperation_certificates_panel(
                cooperation=cooperation, user=user
            ),
        },
    )


def _header_forms(request, cooperation, data=None):
    return (
        CooperationForm(data, instance=cooperation, prefix="cooperation"),
        ObjectiveFormSet(data, instance=cooperation, prefix="objectives"),
        MethodologyFormSet(data, instance=cooperation, prefix="methodology"),
    )


def _header_with_rows(request, cooperation):
    """The cooperation form as typed, with blank rows more in the table whose «Añadir fila» was
    pressed (without JavaScript); None when the page was not sent by that button."""
    prefix = request.POST.get(ADD_ROWS)
    if prefix not in ("objectives", "methodology"):
        return None
    form, objectives, methodology = _header_forms(request, cooperation, request.POST)
    data = with_blank_rows(request.POST, objectives if prefix == "objectives" else methodology)
    page = _header_forms(request, cooperation, data)
    shown_as_typed(page)
    form, objectives, methodology = page
    return {"form": form, "objectives": objectives, "methodology": methodology}


def _opened_header(cooperation):
    def opened(page, stale_since):
        form, *formsets = page
        row = opened_rows(model=Cooperation, ids=[cooperation.pk], until=stale_since).get(cooperation.pk)
        header = CooperationForm(instance=row, prefix="cooperation") if row is not None else None
        return [
            EditedForm(form=form, opened=header),
            *(edit for part in formsets for edit in edited_rows(part, stale_since)),
        ]

    return opened


def _merged_message(request, conflict):
    if conflict and conflict.merged:
        messages.info(
            request,
            _(
                "Mientras usted editaba, otra persona guardó otros cambios en este registro: se conservaron "
                "junto con los suyos (véalos en el historial)."
            ),
        )


def _save_header(request, cooperation):
    def save(page):
        form, objectives, methodology = page

        def write():
            return services.cooperation_save(
                cooperation=form.instance,
                expected_revision=form.cleaned_data["expected_revision"],
                by=request.user,
                parts=[objectives, methodology],
            )

        if cooperation.pk is not None:
            return write()
        # A new cooperation: once however often its form is sent.
        return submit_once(
            key=form.cleaned_data["request_key"],
            by=request.user,
            create=write,
            url_of=lambda saved: saved.get_absolute_url(),
        )

    saved, page, conflict = save_merging(
        data=request.POST,
        build=lambda data, instance: _header_forms(request, instance, data),
        instance=cooperation,
        current=lambda: selectors.cooperation_get(user=request.user, pk=cooperation.pk),
        opened=_opened_header(cooperation),
        save=save,
    )
    if isinstance(saved, Submission):
        return redirect_after(
            request, saved, lambda created: _("Se guardó la cooperación «%(name)s».") % {"name": created.short_name}
        ), None
    if saved is not None:
        _merged_message(request, conflict)
        messages.success(request, _("Se guardó la cooperación «%(name)s».") % {"name": saved.short_name})
        return redirect("cooperations:detail", pk=saved.pk), None
    form, objectives, methodology = page
    return None, {"form": form, "objectives": objectives, "methodology": methodology, "conflict": conflict}


@area_required
def cooperation_create(request):
    require(request.user, EDIT_COOPERATION)
    if request.method == "POST" and (more := _header_with_rows(request, Cooperation())):
        context = more
    elif request.method == "POST":
        response, context = _save_header(request, Cooperation())
        if response:
            return response
    else:
        form, objectives, methodology = _header_forms(request, Cooperation())
        context = {"form": form, "objectives": objectives, "methodology": methodology}
    return render(
        request,
        "cooperations/cooperation_form.html",
        {**context, "cooperation": None, "call_form": CallForm(prefix="call")},
    )


@area_required
def cooperation_edit(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, EDIT_COOPERATION, cooperation)
    if request.method == "POST" and (more := _header_with_rows(request, cooperation)):
        context = more
    elif request.method == "POST":
        response, context = _save_header(request, cooperation)
        if response:
            return response
    else:
        form, objectives, methodology = _header_forms(request, cooperation)
        context = {"form": form, "objectives": objectives, "methodology": methodology}
    return render(
        request,
        "cooperations/cooperation_form.html",
        {**context, "cooperation": cooperation, "call_form": CallForm(prefix="call")},
    )


@area_required
@require_POST
def call_create(request):
    """«Nueva convocatoria» on the cooperation form. It posts the whole cooperation form: with
    htmx only the call picker comes back (the new call chosen), so nothing typed is touched;
    without JavaScript the cooperation form comes back with what was typed and the new call."""
    require(request.user, CREATE_CALL)
    call_form = CallForm(request.POST, prefix="call")
    call = None
    if call_form.is_valid():
        try:
            call = services.call_create(
                number=call_form.cleaned_data["number"], year=call_form.cleaned_data["year"], by=request.user
            )
        except ValidationError as error:
            call_form.add_error(None, error)
    chosen = call.pk if call else request.POST.get("cooperation-call")
    if call:
        call_form = CallForm(prefix="call")
    if request.htmx:
        picker = CooperationForm(initial={"call": chosen}, prefix="cooperation")
        return render(
            request,
            "cooperations/_call_picker.html",
            {"call_field": picker["call"], "call_form": call_form, "created": call},
        )
    pk = request.GET.get("cooperacion", "")
    cooperation = selectors.cooperation_get(user=request.user, pk=int(pk)) if pk.isdigit() else Cooperation()
    data = request.POST.copy()
    if call:
        data["cooperation-call"] = str(call.pk)
    form, objectives, methodology = _header_forms(request, cooperation, data)
    return render(
        request,
        "cooperations/cooperation_form.html",
        {
            "form": form,
            "objectives": objectives,
            "methodology": methodology,
            "cooperation": cooperation if cooperation.pk else None,
            "call_form": call_form,
            "created_call": call,
        },
    )


def _parts_edit(request, pk, formset_class, title):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, EDIT_COOPERATION, cooperation)
    conflict = None
    adding_rows = request.POST.get(ADD_ROWS) == "parts"
    if request.method == "POST" and not adding_rows:

        def save(page):
            revision_form, formset = page
            return services.cooperation_save(
                cooperation=formset.instance,
                expected_revision=revision_form.cleaned_data["expected_revision"],
                by=request.user,
                parts=[formset],
            )

        saved, (revision_form, formset), conflict = save_merging(
            data=request.POST,
            build=lambda data, instance: (RevisionForm(data), formset_class(data, instance=instance, prefix="parts")),
            instance=cooperation,
            current=lambda: selectors.cooperation_get(user=request.user, pk=cooperation.pk),
            opened=lambda page, stale_since: edited_rows(page[1], stale_since),
            save=save,
        )
        if saved is not None:
            _merged_message(request, conflict)
            messages.success(request, _("Se guardaron los cambios."))
            return redirect("cooperations:detail", pk=cooperation.pk)
    elif request.method == "POST":
        # «Añadir fila» without JavaScript: the table as typed, with blank rows more; nothing saved.
        data = with_blank_rows(request.POST, formset_class(request.POST, instance=cooperation, prefix="parts"))
        revision_form, formset = RevisionForm(data), formset_class(data, instance=cooperation, prefix="parts")
        shown_as_typed([revision_form, formset])
    else:
        revision_form = RevisionForm(initial={"expected_revision": cooperation.revision})
        formset = formset_class(instance=cooperation, prefix="parts")
    return render(
        request,
        "cooperations/parts_form.html",
        {
            "cooperation": cooperation,
            "formset": formset,
            "revision_form": revision_form,
            "conflict": conflict,
            "title": title,
        },
    )


@area_required
def cooperation_participants_edit(request, pk):
    return _parts_edit(request, pk, ParticipationFormSet, _("Participantes"))


@area_required
def cooperation_steps_edit(request, pk):
    return _parts_edit(request, pk, StepFormSet, _("Pasos y plazos"))


def _session_form_page(request, cooperation, session):
    conflict = None
    if request.method == "POST":

        def save(page):
            (form,) = page

            def write():
                return services.session_save(
                    session=form.instance, expected_revision=form.cleaned_data["expected_revision"], by=request.user
                )

            if session.pk is not None:
                return write()
            # A new session: once however often its form is sent.
            return submit_once(
                key=form.cleaned_data["request_key"],
                by=request.user,
                create=write,
                url_of=lambda saved: f"{cooperation.get_absolute_url()}#sesion-{saved.pk}",
            )

        def opened(page, stale_since):
            row = opened_rows(model=Session, ids=[session.pk], until=stale_since).get(session.pk)
            form = SessionForm(instance=row, cooperation=cooperation) if row is not None else None
            return [EditedForm(form=page[0], opened=form)]

        saved, (form,), conflict = save_merging(
            data=request.POST,
            build=lambda data, instance: (SessionForm(data, instance=instance, cooperation=cooperation),),
            instance=session,
            current=lambda: selectors.session_get(cooperation=cooperation, pk=session.pk),
            opened=opened,
            save=save,
        )
        if isinstance(saved, Submission):
            return redirect_after(
                request, saved, lambda created: _("Se guardó la sesión «%(name)s».") % {"name": created.display_title}
            )
        if saved is not None:
            _merged_message(request, conflict)
            messages.success(request, _("Se guardó la sesión «%(name)s».") % {"name": saved.display_title})
            return redirect(f"{cooperation.get_absolute_url()}#sesion-{saved.pk}")
    else:
        form = SessionForm(instance=session, cooperation=cooperation)
    return render(
        request,
        "cooperations/session_form.html",
        {
            "cooperation": cooperation,
            "session": session if session.pk else None,
            "form": form,
            "conflict": conflict,
            "can_remove": session.pk is not None and request.user.has_perm(REMOVE_SESSION, cooperation),
        },
    )


@area_required
def session_create(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, EDIT_COOPERATION, cooperation)
    return _session_form_page(request, cooperation, selectors.session_new(cooperation=cooperation))


@area_required
def session_edit(request, pk, session_pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, EDIT_COOPERATION, cooperation)
    session = selectors.session_get(cooperation=cooperation, pk=session_pk)
    return _session_form_page(request, cooperation, session)


@area_required
def session_delete(request, pk, session_pk):
    """«Eliminar sesión»: a confirmation page that names what depends on the session (then it
    cannot be deleted); the deletion stays in the cooperation's history."""
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, REMOVE_SESSION, cooperation)
    session = selectors.session_get(cooperation=cooperation, pk=session_pk)
    error = None
    if request.method == "POST":
        try:
            services.session_delete(session=session, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("Se eliminó la sesión «%(name)s»; el historial de la cooperación la conserva.")
                % {"name": session.display_title},
            )
            return redirect(f"{cooperation.get_absolute_url()}#sesiones")
    return render(
        request,
        "cooperations/session_confirm_delete.html",
        {
            "cooperation": cooperation,
            "session": session,
            "dependents": selectors.session_dependents(session=session),
            "error": error,
        },
    )


@area_required
@require_POST
def step_toggle_done(request, pk, step_pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    step = selectors.step_get(cooperation=cooperation, pk=step_pk)
    require(request.user, MARK_STEP_DONE, step)
    services.step_mark_done(step=step, done=not step.done, by=request.user)
    step.overdue = step.is_overdue()
    step.can_mark = True
    if request.htmx:
        return render(request, "cooperations/_step.html", {"step": step, "cooperation": cooperation})
    if request.POST.get("back") == "deadlines":
        messages.success(
            request, _("Se marcó el plazo como cumplido.") if step.done else _("El plazo vuelve a estar pendiente.")
        )
        return redirect("cooperations:deadlines")
    return redirect(f"{cooperation.get_absolute_url()}#paso-{step.pk}")


@area_required
@require_POST
def cooperation_follow(request, pk):
    """OEA staff follow (or stop following) a cooperation: its notifications."""
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, FOLLOW_COOPERATION, cooperation)
    follow = request.POST.get("follow") == "1"
    services.cooperation_follow(cooperation=cooperation, follow=follow, by=request.user)
    messages.success(
        request,
        _("Ahora sigue esta cooperación: recibirá sus notificaciones.")
        if follow
        else _("Dejó de seguir esta cooperación."),
    )
    return redirect(cooperation.get_absolute_url())


@area_required
def cooperation_history(request, pk):
    cooperation = selectors.cooperation_get(user=request.user, pk=pk)
    require(request.user, SEE_HISTORY, cooperation)
    entries = history_entries(
        cooperation=cooperation, show_secrets=request.user.has_perm(SEE_ACCESS_CODES, cooperation)
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "cooperations/cooperation_history.html", {"cooperation": cooperation, "page": page})


@area_required
def deadline_list(request):
    steps = selectors.deadline_list(user=request.user)
    for step in steps:
        step.overdue = step.is_overdue()
        step.can_mark = request.user.has_perm(MARK_STEP_DONE, step)
    return render(
        request, "cooperations/deadline_list.html", {"steps": steps, "feed_token": personal_feed_token(request.user)}
    )
