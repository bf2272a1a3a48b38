"""Ranking pages: the list of rankings per semester, one ranking with its values, method and
published versions; entering and importing values; publishing; a version and its PDF."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import permission_view, require
from core.services import submit_once
from rial_site.downloads import serve_private_file

from . import selectors, services
from .forms import EntryFormSet, RankingCreateForm, RankingImportForm, RankingMethodForm, RankingPublishForm
from .imports import COLUMN_LABELS, read_ranking_file
from .permissions import EDIT_RANKING, SEE_RANKING
from .rendering import dimension_notes, indicator_count_note, level_counts, method_lines, row_texts
from .scoring import method_of

viewer_required = permission_view(SEE_RANKING)
editor_required = permission_view(EDIT_RANKING)


def _method_context(method: dict) -> dict:
    return {
        "method_lines": method_lines(method),
        "dimensions": dimension_notes(),
        "indicator_note": indicator_count_note(),
    }


@viewer_required
def ranking_list(request):
    form = RankingCreateForm(request.POST or None)
    if request.method == "POST":
        require(request.user, EDIT_RANKING)
        if form.is_valid():
            try:
                submission = submit_once(
                    key=form.cleaned_data["request_key"],
                    by=request.user,
                    create=lambda: services.ranking_create(
                        year=form.cleaned_data["year"], semester=form.cleaned_data["semester"], by=request.user
                    ),
                    url_of=lambda ranking: ranking.get_absolute_url(),
                )
                return redirect(submission.url)
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "ranking/ranking_list.html",
        {"rankings": selectors.ranking_list(), "form": form, "can_edit": request.user.has_perm(EDIT_RANKING)},
    )


@viewer_required
def ranking_detail(request, pk):
    ranking = selectors.ranking_get(pk=pk)
    rows = row_texts(selectors.ranking_table(ranking=ranking))
    return render(
        request,
        "ranking/ranking_detail.html",
        {
            "ranking": ranking,
            "rows": rows,
            "levels": level_counts(rows),
            "versions": selectors.ranking_versions(ranking=ranking),
            "publish_form": RankingPublishForm(),
            "can_edit": request.user.has_perm(EDIT_RANKING),
            **_method_context(method_of(ranking)),
        },
    )


@editor_required
def ranking_edit(request, pk):
    ranking = selectors.ranking_get(pk=pk)
    entries = selectors.ranking_entries(ranking=ranking)
    method_form = RankingMethodForm(request.POST or None, instance=ranking)
    formset = EntryFormSet(request.POST or None, instance=ranking, queryset=entries, prefix="regiones")
    if request.method == "POST" and method_form.is_valid() and formset.is_valid():
        method = {name: method_form.cleaned_data[name] for name in method_form.Meta.fields}
        values = {form.instance.region_id: form.cleaned_data for form in formset.forms}
        try:
            services.ranking_update(
                ranking=ranking,
                expected_revision=method_form.cleaned_data["expected_revision"],
                method=method,
                values=values,
                by=request.user,
            )
        except ValidationError as error:
            method_form.add_error(None, error)
        else:
            messages.success(request, _("Se guardaron el método y los valores del ranking."))
            return redirect(ranking)
    return render(
        request, "ranking/ranking_form.html", {"ranking": ranking, "method_form": method_form, "formset": formset}
    )


@editor_required
def ranking_import(request, pk):
    ranking = selectors.ranking_get(pk=pk)
    form = RankingImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = read_ranking_file(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            if result.is_valid:
                count = services.ranking_import(ranking=ranking, values=result.values, by=request.user)
                messages.success(request, _("Se importaron los valores de %(count)s regiones.") % {"count": count})
                return redirect(ranking)
    return render(
        request,
        "ranking/ranking_import.html",
        {"ranking": ranking, "form": form, "result": result, "columns": list(COLUMN_LABELS.values())},
    )


@require_POST
@editor_required
def ranking_publish(request, pk):
    ranking = selectors.ranking_get(pk=pk)
    form = RankingPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("El formulario caducó: vuelva a pulsar «Publicar»."))
        return redirect(ranking)
    try:
        version = services.ranking_publish(
            ranking=ranking, request_key=form.cleaned_data["request_key"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(ranking)
    messages.success(request, _("Se publicó la versión %(number)s.") % {"number": version.number})
    return redirect(version)


@viewer_required
def version_detail(request, pk):
    version = selectors.version_get(pk=pk)
    rows = row_texts(version.snapshot["rows"])
    return render(
        request,
        "ranking/version_detail.html",
        {"version": version, "rows": rows, "levels": level_counts(rows), **_method_context(version.snapshot["method"])},
    )


@viewer_required
def version_download(request, pk):
    version = selectors.version_get(pk=pk)
    return serve_private_file(version.file, version.file_name, "application/pdf")
