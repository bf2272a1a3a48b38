import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.decorators import permission_view
from core.merge import EditedForm, FieldConflict, merge_stale_edit

from ..history import HistoryEntry, opened_rows
from ..permissions import COOPERATIONS_AREA
from ..services import ConcurrentEditError


def with_revision(data, revision: int):
    """A copy of submitted form data whose hidden revision is the current one, so that after a
    conflict the user can review the other person's changes and save again on purpose."""
    data = data.copy()
    for key in list(data):
        if key == "expected_revision" or key.endswith("-expected_revision"):
            data[key] = str(revision)
    return data


# Sign-in required (anonymous → sign-in page), then a role that uses cooperations at all (else
# 403). Object views then look the record up among those the user may see (else 404).
area_required = permission_view(COOPERATIONS_AREA)


@dataclass
class Conflict:
    """What a stale page shows: what others saved since it was opened (`changes`) and the fields
    both changed (`fields`); `merged` when the user's edits were saved together with them."""

    changes: list[HistoryEntry]
    fields: list[FieldConflict] = field(default_factory=list)
    merged: bool = False


def save_merging(
    *,
    data: QueryDict,
    build: Callable[[QueryDict, Any], Sequence[BaseForm | BaseFormSet]],
    instance: Any,
    current: Callable[[], Any],
    opened: Callable[[Sequence[BaseForm | BaseFormSet], datetime.datetime], list[EditedForm]],
    save: Callable[[Sequence[BaseForm | BaseFormSet]], Any],
) -> tuple[Any, Sequence[BaseForm | BaseFormSet], Conflict | None]:
    """Validate and save the page's forms (`build(data, instance)`, saved by `save`). If someone
    saved the record since the user opened it, the user's edits are merged into the current
    record (`current()`) field by field, using the forms of the opened rows (`opened(forms,
    stale_since)`), and saved when nobody else changed the same fields; otherwise the page comes
    back with the merged values, the fields in conflict and what the others changed.

    Returns (saved object or None, the forms to show, the conflict or None)."""
    page = build(data, instance)
    if not all(part.is_valid() for part in page):
        return None, page, None
    try:
        return _save(save, page), page, None
    except ConcurrentEditError as error:
        stale = error
    # Each set of forms gets its own copy of the current record: validating a form writes the
    # submitted values into its instance, and a form's initial values must stay the stored ones.
    revision = stale.current_revision or 0
    if stale.stale_since is None:
        page = build(with_revision(data, revision), current())
        for part in page:
            part.is_valid()
        return None, page, Conflict(changes=stale.changes)
    mine = build(data, current())
    for part in mine:
        part.is_valid()  # the rows marked for deletion are known after validation
    merge = merge_stale_edit(data=with_revision(data, revision), forms_edited=opened(mine, stale.stale_since))
    page = build(merge.data, current())
    valid = all(part.is_valid() for part in page)
    conflict = Conflict(changes=stale.changes, fields=merge.conflicts)
    if merge.conflicts or not valid:
        return None, page, conflict
    try:
        saved = _save(save, page)
    except ConcurrentEditError as again:  # yet another save in between: show it, do not loop
        return None, page, Conflict(changes=again.changes)
    if saved is None:
        return None, page, conflict
    conflict.merged = True
    return saved, page, conflict


def _save(save, page):
    """Save, or put the service's validation errors on the page's first form (None then; the
    forms are core.forms' ModelForm or Form, which place errors of any model field)."""
    try:
        return save(page)
    except ValidationError as error:
        first = page[0]
        assert isinstance(first, BaseForm)  # pages put their record's (or revision) form first
        first.add_error(None, error)
        return None


def edited_rows(formset: Any, stale_since: datetime.datetime) -> list[EditedForm]:
    """The rows of a stale formset page (a BaseModelFormSet) with the forms of the rows as the
    user opened them."""
    existing = [form for form in formset.initial_forms if form.instance.pk is not None]
    opened = opened_rows(model=formset.model, ids=[form.instance.pk for form in existing], until=stale_since)
    kind = str(formset.model._meta.verbose_name_plural).capitalize()
    edited = []
    for index, form in enumerate(formset.forms):
        row = opened.get(form.instance.pk) if form.instance.pk is not None else None
        edited.append(
            EditedForm(
                form=form,
                opened=formset.form(instance=row, prefix=form.prefix, **formset.get_form_kwargs(index))
                if row is not None
                else None,
                row=_("%(kind)s, fila %(number)s") % {"kind": kind, "number": index + 1},
                deleting=formset.can_delete and formset._should_delete_form(form),
            )
        )
    return edited
