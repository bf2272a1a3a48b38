"""Report pages: request a report (returns at once), watch its job, read and download versions.

Rendering never happens here: requests create jobs, Celery workers render. Every view checks
permission; summaries of a cooperation the user cannot see are 404, like the record itself.
"""

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_view, require
from capacity_plan.periods import Bimester
from capacity_plan.selectors import plan_get
from cooperations.selectors import cooperation_get
from core.merge import EditedForm, merge_stale_edit
from core.responses import redirect_after
from core.services import submit_once
from rial_site.downloads import serve_private_file

from . import selectors, services
from .forms import (
    CommentResolveForm,
    MonitoringRequestForm,
    NarrativeForm,
    NarrativePageForm,
    SummaryCommentForm,
    SummaryPublishForm,
)
from .models import Kind, MonitoringNarrative, ReportJob, SummarySection
from .permissions import (
    COMMENT_SUMMARY,
    EDIT_MONITORING_NARRATIVE,
    PUBLISH_SUMMARY,
    REPORTS_AREA,
    REQUEST_MONITORING,
    RESOLVE_SUMMARY_COMMENT,
    SEE_MONITORING,
    SEE_SUMMARIES,
    SEE_SUMMARY_COMMENTS,
    USE_SUMMARIES,
)
from .summary import summary_changes

# Sign-in required (anonymous → sign-in page), then a role that uses reports (else 403).
area_required = permission_view(REPORTS_AREA)


def summary_cooperation(user, pk: int, permission: str):
    """The cooperation whose summaries the user works with: 403 for roles that never read
    summaries, 404 for a cooperation the user cannot see (not revealed), then the permission."""
    require(user, USE_SUMMARIES)
    cooperation = cooperation_get(user=user, pk=pk)
    require(user, permission, cooperation)
    return cooperation


@area_required
def home(request):
    user = request.user
    page = None
    if user.has_perm(USE_SUMMARIES):  # which ones: scoped like the cooperation list
        page = Paginator(selectors.summary_overview(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/home.html",
        {
            "page": page,
            "can_view_monitoring": user.has_perm(SEE_MONITORING),
        },
    )


# --- Cooperation summaries -----------------------------------------------------------------------


def _summary_page(request, cooperation, form=None, status=200):
    can_publish = request.user.has_perm(PUBLISH_SUMMARY, cooperation)
    return render(
        request,
        "reports/summary_versions.html",
        {
            "cooperation": cooperation,
            "versions": selectors.summary_versions(cooperation=cooperation),
            "jobs": selectors.recent_jobs(cooperation=cooperation),
            "series_closed": selectors.series_is_closed(cooperation=cooperation),
            "can_publish": can_publish,
            "form": form or (SummaryPublishForm() if can_publish else None),
        },
        status=status,
    )


@area_required
def summary_versions(request, pk):
    cooperation = summary_cooperation(request.user, pk, SEE_SUMMARIES)
    return _summary_page(request, cooperation)


@area_required
@require_POST
def summary_publish(request, pk):
    cooperation = summary_cooperation(request.user, pk, PUBLISH_SUMMARY)
    form = SummaryPublishForm(request.POST)
    if not form.is_valid():
        return _summary_page(request, cooperation, form=form, status=400)
    try:
        job, _created = services.summary_request(
            cooperation=cooperation,
            by=request.user,
            request_key=form.cleaned_data["request_key"],
            label=form.cleaned_data["label"],
            is_final=form.cleaned_data["is_final"],
            open_for_comments=form.cleaned_data["open_for_comments"],
        )
    except ValidationError as error:  # the series is closed (SeriesClosedError), or final and open
        form.add_error(None, error)
        return _summary_page(request, cooperation, form=form, status=409)
    # The job page itself says it is being generated, for as long as it is (a message here would
    # stay on the page after «Listo»).
    return redirect("reports:job", job.pk)


@area_required
@require_POST
def summary_reopen(request, pk):
    cooperation = summary_cooperation(request.user, pk, PUBLISH_SUMMARY)
    services.series_reopen(cooperation=cooperation, by=request.user)
    messages.success(request, _("Serie reabierta: ya puede publicar nuevas versiones."))
    return redirect("reports:summaries", cooperation.pk)


# --- Monitoring reports ------------------------------------------------------------------------


def _monitoring_page(request, form=None, status=200):
    plan = plan_get()
    can_request = request.user.has_perm(REQUEST_MONITORING)
    if form is None and can_request and plan is not None:
        latest = Bimester.containing(min(Bimester(plan.year, 6).end, timezone.localdate()))
        form = MonitoringRequestForm(year=plan.year, initial_period=latest)
    narratives = selectors.narratives_of_year(plan=plan) if plan is not None else {}
    return render(
        request,
        "reports/monitoring.html",
        {
            "plan": plan,
            "narrative_rows": [
                {"period": period, "narrative": narratives.get(period.number)} for period in Bimester.of_year(plan.year)
            ]
            if plan is not None
            else [],
            "can_edit_narrative": request.user.has_perm(EDIT_MONITORING_NARRATIVE),
            "versions": selectors.monitoring_versions(),
            "jobs": selectors.recent_jobs(kind=Kind.MONITORING),
            "form": form,
            "can_request": can_request,
        },
        status=status,
    )


@area_required
def monitoring(request):
    require(request.user, SEE_MONITORING)
    return _monitoring_page(request)


@area_required
@require_POST
def monitoring_request(request):
    require(request.user, REQUEST_MONITORING)
    plan = plan_get()
    form = MonitoringRequestForm(request.POST, year=plan.year if plan else timezone.localdate().year)
    if plan is None or not form.is_valid():
        return _monitoring_page(request, form=form, status=400)
    job, _created = services.monitoring_request(
        plan=plan, period=form.cleaned_data["period"], by=request.user, request_key=form.cleaned_data["request_key"]
    )
    return redirect("reports:job", job.pk)


def _plan_period(year: int, number: int):
    """The loaded plan and one of its bimesters; 404 for a period outside the plan's year."""
    plan = plan_get()
    if plan is None or year != plan.year or not 1 <= number <= 6:
        raise Http404
    return plan, Bimester(year, number)


def _narrative_page(request, plan, period, narrative, *, form=None, conflict=None, status=200):
    return render(
        request,
        "reports/monitoring_narrative.html",
        {
            "plan": plan,
            "period": period,
            "narrative": narrative,
            "history": selectors.narrative_history(narrative=narrative) if narrative else [],
            "form": form,
            "conflict": conflict,
            "can_request": request.user.has_perm(REQUEST_MONITORING),
        },
        status=status,
    )


@area_required
def monitoring_narrative(request, year, number):
    """A period's narrative: ODES write and edit it (and may generate the report with it at
    once); managers read it. Edits are checked against the revision the page was opened at: a
    page opened before someone else saved is merged field by field, and refused only where both
    changed the same text."""
    require(request.user, SEE_MONITORING)
    plan, period = _plan_period(year, number)
    narrative = selectors.narrative_get(plan=plan, period=period)
    if request.method != "POST":
        form = NarrativePageForm(instance=narrative) if request.user.has_perm(EDIT_MONITORING_NARRATIVE) else None
        return _narrative_page(request, plan, period, narrative, form=form)
    require(request.user, EDIT_MONITORING_NARRATIVE)
    generate = "generate" in request.POST
    if generate:
        require(request.user, REQUEST_MONITORING)
    blank = MonitoringNarrative(plan=plan, period_year=period.year, period_number=period.number)
    form = NarrativePageForm(request.POST, instance=narrative or blank)
    if not form.is_valid():
        return _narrative_page(request, plan, period, narrative, form=form, status=400)
    conflict = None
    try:
        saved, job = _narrative_save(request, plan, period, form, generate=generate)
    except services.StaleNarrativeError as error:
        form, conflict = _narrative_merge(request, error.current, form.cleaned_data["expected_revision"])
        if conflict["fields"] or not form.is_valid():
            return _narrative_page(request, plan, period, error.current, form=form, conflict=conflict, status=409)
        try:
            saved, job = _narrative_save(request, plan, period, form, generate=generate)
        except services.StaleNarrativeError as again:  # yet another save in between: show it, no loop
            form, conflict = _narrative_merge(request, again.current, form.cleaned_data["expected_revision"])
            return _narrative_page(request, plan, period, again.current, form=form, conflict=conflict, status=409)
    if saved is None:
        return _narrative_page(request, plan, period, narrative, form=form, status=400)
    if conflict and conflict["changes"]:
        messages.info(
            request,
            _("Mientras editaba, %(authors)s guardó cambios en: %(fields)s. Se conservaron junto con los suyos.")
            % {"authors": conflict["authors"], "fields": ", ".join(change["label"] for change in conflict["changes"])},
        )
    if job is not None:
        return redirect("reports:job", job.pk)
    messages.success(request, _("Se guardó la narrativa de %(period)s.") % {"period": period.label})
    return redirect("reports:monitoring_narrative", period.year, period.number)


def _narrative_save(request, plan, period, form, *, generate: bool):
    """Save the validated form (and request the report when asked): (narrative, job or None);
    (None, None) with the errors on the form when the service refused the values."""
    try:
        if generate:
            return services.monitoring_narrative_save_and_request(
                plan=plan,
                period=period,
                fields=form.narrative_fields(),
                expected_revision=form.cleaned_data["expected_revision"],
                request_key=form.cleaned_data["request_key"] or form.fields["request_key"].initial(),
                by=request.user,
            )
        narrative = services.monitoring_narrative_save(
            plan=plan,
            period=period,
            fields=form.narrative_fields(),
            expected_revision=form.cleaned_data["expected_revision"],
            by=request.user,
        )
        return narrative, None
    except ValidationError as error:
        form.add_error(None, error)
        return None, None


def _narrative_merge(request, current: MonitoringNarrative, opened_revision: int | None):
    """The page merged into what is stored now: the submitted texts with the fields only others
    changed taken from `current`, the fields both changed, and what others changed since the
    page was opened (field, before → after, who)."""
    opened = selectors.narrative_at_revision(narrative=current, revision=opened_revision)
    mine = NarrativeForm(request.POST, instance=copy.copy(current))
    merge = merge_stale_edit(
        data=request.POST, forms_edited=[EditedForm(form=mine, opened=NarrativeForm(instance=opened))]
    )
    merge.data["expected_revision"] = str(current.revision)
    form = NarrativePageForm(merge.data, instance=copy.copy(current))
    changes = [
        {
            "label": str(form.fields[name].label),
            "before": getattr(opened, name),
            "after": getattr(current, name),
        }
        for name in services.NARRATIVE_FIELDS
        if getattr(opened, name) != getattr(current, name)
    ]
    saves = selectors.narrative_changes_since(narrative=current, revision=opened_revision)
    others = {row.history_user for row in saves if row.history_user_id != request.user.pk}
    authors = sorted((user.get_full_name() or user.username) if user else _("otra persona") for user in others)
    return form, {"changes": changes if others else [], "fields": merge.conflicts, "authors": ", ".join(authors)}


# --- Jobs and versions -------------------------------------------------------------------------

PERMISSIONS = services.JOB_PERMISSIONS  # (kind, write) -> permission


def _require(user, kind, cooperation_id, *, write: bool = False):
    if kind == Kind.SUMMARY:
        summary_cooperation(user, cooperation_id, PERMISSIONS[kind, write])
    else:
        require(user, PERMISSIONS[kind, write])


@area_required
def job_detail(request, pk):
    """The job's state; htmx polls the fragment while it is queued or running."""
    job = selectors.job_get(pk=pk)
    _require(request.user, job.kind, job.cooperation_id)
    context = {"job": job, "can_retry": request.user.has_perm(PERMISSIONS[job.kind, True], job.cooperation)}
    if job.status == ReportJob.Status.DONE:
        context["version"] = selectors.version_of_job(job=job)
    if request.htmx:
        return render(request, "reports/_job.html", context)
    return render(request, "reports/job.html", context)


@area_required
@require_POST
def job_retry(request, pk):
    job = selectors.job_get(pk=pk)
    _require(request.user, job.kind, job.cooperation_id, write=True)
    services.job_retry(job=job, by=request.user)
    return redirect("reports:job", job.pk)


def _version_page(request, version, *, comment_form=None, resolve_form=None, resolving=None, status=200):
    """A version: its data, what changed since the previous one (old → new values, and the
    comments resolved meanwhile) and, for a summary, the comments on it."""
    user = request.user
    previous = selectors.previous_version(version=version)
    changes = resolved_comments = None
    can_comment = can_resolve = False
    comments: list = []
    refusal = None
    if version.kind == Kind.SUMMARY:
        snapshots = selectors.snapshots_of(versions=[version, previous] if previous else [version])
        snapshot, before = snapshots[version.pk], (snapshots[previous.pk] if previous else None)
        changes = summary_changes(before, snapshot)
        resolved_comments = snapshot.get("resolved_comments", [])
        comments = selectors.version_comments(user=user, version=version)
        can_comment = user.has_perm(COMMENT_SUMMARY, version.cooperation)
        can_resolve = user.has_perm(RESOLVE_SUMMARY_COMMENT, version.cooperation)
        refusal = services.comment_refusal(version=version)
    sections = [
        {"value": value, "label": label, "comments": [c for c in comments if c.section == value]}
        for value, label in SummarySection.choices
    ]
    return render(
        request,
        "reports/version_detail.html",
        {
            "version": version,
            "previous": previous,
            "changes": changes,
            "resolved_comments": resolved_comments,
            "show_comments": version.kind == Kind.SUMMARY and user.has_perm(SEE_SUMMARY_COMMENTS, version.cooperation),
            "comment_sections": [section for section in sections if section["comments"]],
            "comment_count": len(comments),
            "open_count": sum(1 for c in comments if c.status == c.Status.OPEN),
            "comment_refusal": refusal,
            "comment_form": comment_form or (SummaryCommentForm() if can_comment and not refusal else None),
            "can_resolve": can_resolve,
            "resolve_form": resolve_form,
            "resolving": resolving,
        },
        status=status,
    )


@area_required
def version_detail(request, pk):
    version = selectors.version_get(pk=pk)
    _require(request.user, version.kind, version.cooperation_id)
    return _version_page(request, version)


def _summary_version(request, pk, permission):
    """A summary version for a comment action: 404 for a monitoring one (no comments there)."""
    version = selectors.version_get(pk=pk)
    if version.kind != Kind.SUMMARY or version.cooperation_id is None:
        raise Http404
    summary_cooperation(request.user, version.cooperation_id, permission)
    return version


@area_required
@require_POST
def comment_create(request, pk):
    version = _summary_version(request, pk, COMMENT_SUMMARY)
    form = SummaryCommentForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, comment_form=form, status=400)
    try:
        submission = submit_once(
            key=form.cleaned_data["request_key"],
            by=request.user,
            create=lambda: services.summary_comment_create(
                version=version, section=form.cleaned_data["section"], text=form.cleaned_data["text"], by=request.user
            ),
            url_of=lambda comment: f"{version.get_absolute_url()}#comentarios",
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _version_page(request, version, comment_form=form, status=409)
    return redirect_after(
        request, submission, lambda comment: _("Comentario enviado. El personal de la OEA lo verá en esta página.")
    )


@area_required
@require_POST
def comment_resolve(request, pk):
    comment = selectors.comment_get(pk=pk)
    version = _summary_version(request, comment.version_id, RESOLVE_SUMMARY_COMMENT)
    form = CommentResolveForm(request.POST)
    if not form.is_valid():
        return _version_page(request, version, resolve_form=form, resolving=comment.pk, status=400)
    try:
        services.summary_comment_resolve(comment=comment, resolution=form.cleaned_data["resolution"], by=request.user)
    except ValidationError as error:  # resolved meanwhile (its form is gone): say so above the page
        messages.error(request, " ".join(error.messages))
        return _version_page(request, version, status=409)
    messages.success(request, _("Comentario resuelto: la próxima versión lo listará entre sus cambios."))
    return redirect(f"{version.get_absolute_url()}#comentario-{comment.pk}")


@area_required
def version_download(request, pk):
    version = selectors.version_get(pk=pk)
    _require(request.user, version.kind, version.cooperation_id)
    return serve_private_file(version.file, version.file_name, "application/pdf")
