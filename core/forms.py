"""Form pieces every app uses: the date and time inputs, the upload field's accepted types and
help text, the hidden revision of an edit page, the idempotency key of a request form, and choice
fields that check what a form or a whole formset submits in one query."""

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Field, Model, QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from rial_site.uploads import ALLOWED

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# The file picker's filter and the help text under an upload field: the documents uploads accept.
UPLOAD_ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)
UPLOAD_HELP_TEXT = _("PDF, DOCX, XLSX, PPTX, ODT, ODS u ODP.")

M = TypeVar("M", bound=Model)


def upload_widget() -> forms.ClearableFileInput:
    """A file input that offers only the document types uploads accept."""
    return forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT})


class RevisionField(forms.IntegerField):
    """The revision the user opened, sent back to detect concurrent edits."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, min_value=0, **kwargs)


class RequestKeyMixin(forms.Form):
    """A hidden key made when the form is shown: submitting the same form twice (double click,
    browser retry) names the same request, which makes one job."""

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ChoiceLookup(Generic[M]):
    """The objects of a choice queryset by primary key, read in one query the first time a
    submitted value is checked. The choice fields of a form, or of every row of a formset, share
    one: checking N submitted choices costs one query instead of one .get() each."""

    def __init__(self, queryset: QuerySet[M]) -> None:
        self.queryset = queryset
        self._by_pk: dict[Any, M] | None = None

    @property
    def by_pk(self) -> dict[Any, M]:
        if self._by_pk is None:
            self._by_pk = {choice.pk: choice for choice in self.queryset}
        return self._by_pk

    def __getitem__(self, pk: Any) -> M:
        return self.by_pk[pk]


class LookupChoiceIterator(forms.models.ModelChoiceIterator):
    """Draws a LookupModelChoiceField's <select> from its lookup, so the drop-downs of every row
    of a formset share one query too (Django's iterator queries again for each field)."""

    field: "LookupModelChoiceField"

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue | str, str]]:
        if self.field.lookup is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            # As Django's own iterator does, the label stays lazy; the stubs expect a str.
            yield ("", self.field.empty_label)  # type: ignore[misc]
        for choice in self.field.lookup.by_pk.values():
            yield self.choice(choice)

    def __len__(self) -> int:
        if self.field.lookup is None:
            return super().__len__()
        return len(self.field.lookup.by_pk) + (self.field.empty_label is not None)


class LookupModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that finds the submitted value in its `lookup` (a ChoiceLookup) when it
    has one, as Django would with queryset.get() but without a query per field, and draws its
    choices from it."""

    iterator = LookupChoiceIterator
    lookup: ChoiceLookup | None = None

    def to_python(self, value: Any) -> Any:
        if self.lookup is None or self.queryset is None or value in self.empty_values:
            return super().to_python(value)
        model = self.queryset.model
        if self.to_field_name not in (None, model._meta.pk.name):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        if isinstance(value, model):
            value = value.pk
        try:
            return self.lookup[model._meta.pk.to_python(value)]
        except (KeyError, ValidationError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class LookupModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The many-valued LookupModelChoiceField (e.g. a step's responsible institutions): checks the
    submitted values in its `lookup` when it has one, and draws its choices from it."""

    iterator = LookupChoiceIterator
    lookup: ChoiceLookup | None = None

    def _check_values(self, value: Any) -> Any:
        if self.lookup is None or self.queryset is None:
            return super()._check_values(value)  # type: ignore[misc]  # Django's, missing from the stubs
        pk_field = self.queryset.model._meta.pk
        chosen = []
        for item in value:
            self.validate_no_null_characters(item)
            try:
                chosen.append(self.lookup[pk_field.to_python(item)])
            except (KeyError, ValidationError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                ) from None
        return chosen


def share_choices(fields: Iterable[forms.Field], queryset: QuerySet[Any]) -> None:
    """Give these LookupModelChoiceFields the same choices and one lookup among them."""
    lookup = ChoiceLookup(queryset)
    for field in fields:
        # A form's fields are typed as plain Fields; these are LookupModelChoiceFields.
        lookup_field = cast(LookupModelChoiceField, field)
        lookup_field.queryset = queryset
        lookup_field.lookup = lookup


class LookupInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset that checks what its rows submit against choices read once for all the
    rows: each row's own id among the formset's rows (already loaded to build the forms) and the
    fields named by choice_querysets() (LookupModelChoiceFields). Django would run one .get() per
    row for each of them. A row id that is not one of this formset's rows is an invalid choice."""

    _pk_field: "Field[Any, Any]"  # set by BaseModelFormSet.add_fields; missing from the stubs
    _row_lookup: ChoiceLookup[Any]
    _lookups: dict[str, ChoiceLookup[Any]]

    def choice_querysets(self) -> dict[str, QuerySet[Any]]:
        """{field name: queryset of its choices} for the choice fields of every row."""
        return {}

    def add_fields(self, form: "forms.ModelForm[Any]", index: int | None) -> None:
        super().add_fields(form, index)
        if not hasattr(self, "_lookups"):
            self._row_lookup = ChoiceLookup(self.get_queryset())
            self._lookups = {name: ChoiceLookup(queryset) for name, queryset in self.choice_querysets().items()}
        pk_name = self._pk_field.name
        # Django's add_fields made the row id a ModelChoiceField of the formset's rows.
        django_row_field = cast(forms.ModelChoiceField, form.fields[pk_name])
        row_field = LookupModelChoiceField(
            django_row_field.queryset, initial=django_row_field.initial, required=False, widget=django_row_field.widget
        )
        row_field.lookup = self._row_lookup
        form.fields[pk_name] = row_field
        for name, lookup in self._lookups.items():
            # The rows' form declares these as LookupModelChoiceFields (Meta.field_classes).
            field = cast(LookupModelChoiceField, form.fields[name])
            field.queryset = lookup.queryset
            field.lookup = lookup
