"""Merging a stale edit page into the record others saved meanwhile.

A page is opened at one revision; when it is saved, others may have saved newer ones. For each
form of the page (a record's form, or a row of a formset) three versions of every field are at
hand: what the user opened (a form of the opened row), what is stored now (the bound form's
initial values, from the current row) and what the user submitted. A field only the others
changed takes their value; a field only the user changed keeps theirs; a field both changed to
different values is a conflict, and the page says which. Works on the submitted data, so the
merged page validates and saves as if the user had typed it on a fresh page.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import InlineForeignKeyField
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

# Bookkeeping fields of a page, never merged (the revision opened, the create form's request key).
SKIPPED = {"id", DELETION_FIELD_NAME, "ORDER", "expected_revision", "request_key"}


@dataclass
class FieldConflict:
    """A field the user and someone else both changed, each to their own value."""

    row: str
    label: str
    mine: str
    theirs: str


@dataclass
class Merge:
    data: QueryDict
    conflicts: list[FieldConflict] = field(default_factory=list)
    # How many fields took the value someone else saved.
    kept_theirs: int = 0


@dataclass
class EditedForm:
    """One form of a stale page: `form` bound to what the user submitted (its instance and
    initial values are the current row), `opened` the same form unbound on the row as the user
    opened it (None for a row the user is adding), `row` how the page names it."""

    form: forms.BaseForm
    opened: forms.BaseForm | None
    row: str = ""
    deleting: bool = False


def as_submitted(bound: forms.BoundField, value: Any) -> str | list[str] | bool:
    """The value as the field's widget would submit it."""
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return bool(value)
    # A <select multiple> or a list of checkboxes (CheckboxSelectMultiple is no SelectMultiple).
    multiple = getattr(widget, "allow_multiple_selected", False)
    if value is None:
        return [] if multiple else ""
    prepared = bound.field.prepare_value(value)
    if multiple:
        return [str(item) for item in (prepared or [])]
    if isinstance(widget, forms.Select):
        return "" if prepared in (None, "") else str(prepared)
    formatted = widget.format_value(prepared)
    return "" if formatted is None else str(formatted)


def _shown(value: str | list[str] | bool, bound: forms.BoundField) -> str:
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    field_ = bound.field
    if isinstance(field_, forms.ChoiceField | forms.ModelChoiceField):
        # A choice is shown by its label (a model choice's label reads the choices once).
        choices = cast(Iterable[tuple[Any, Any]], field_.choices)
        labels = {str(key): str(label) for key, label in choices}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(item, item) for item in values if item) or "—"
    text = value if isinstance(value, str) else ", ".join(value)
    return text if len(text) <= 160 else text[:157] + "…"


def _put(data: QueryDict, key: str, value: str | list[str] | bool) -> None:
    if isinstance(value, bool):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list):
        data.setlist(key, value)
    else:
        data[key] = value


def merge_stale_edit(*, data: QueryDict, forms_edited: Iterable[EditedForm]) -> Merge:
    """The submitted `data` with the changes others saved since the page was opened applied to
    every field the user left as it was, and the fields both changed differently."""
    merged = data.copy()
    result = Merge(data=merged)
    for edited in forms_edited:
        form, opened = edited.form, edited.opened
        if opened is None:
            continue  # a row the user adds: nobody else had it
        theirs_changed_any = False
        for name, form_field in form.fields.items():
            if name in SKIPPED or isinstance(form_field, InlineForeignKeyField) or name not in opened.fields:
                continue
            bound = form[name]
            opened_value = as_submitted(bound, opened.get_initial_for_field(opened.fields[name], name))
            current_value = as_submitted(bound, form.get_initial_for_field(form_field, name))
            if opened_value == current_value:
                continue  # nobody else changed it: the user's value stands
            theirs_changed_any = True
            if edited.deleting:
                continue
            submitted = form_field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
            mine_changed = form_field.has_changed(opened.get_initial_for_field(opened.fields[name], name), submitted)
            if not mine_changed:
                _put(merged, form.add_prefix(name), current_value)
                result.kept_theirs += 1
            elif form_field.has_changed(form.get_initial_for_field(form_field, name), submitted):
                result.conflicts.append(
                    FieldConflict(
                        row=edited.row,
                        label=str(form_field.label or name),
                        mine=_shown("" if submitted is None else submitted, bound),
                        theirs=_shown(current_value, bound),
                    )
                )
        if edited.deleting and theirs_changed_any:
            result.conflicts.append(
                FieldConflict(
                    row=edited.row, label=str(_("fila completa")), mine=str(_("eliminada")), theirs=str(_("modificada"))
                )
            )
    return result
