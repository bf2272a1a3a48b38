"""Form pieces every app uses: the form bases that show every model-level validation error, the
date and time inputs, the upload field's accepted types and help text, the hidden revision of an
edit page, the idempotency key of a request form, and choice fields that check what a form or a
whole formset submits in one query."""

import uuid
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, Generic, TypeVar, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, QuerySet
from django.forms.formsets import TOTAL_FORM_COUNT
from django.forms.models import ModelChoiceIteratorValue
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.merge import as_submitted
from rial_site.uploads import ALLOWED

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# The file picker's filter and the help text under an upload field: the documents uploads accept.
UPLOAD_ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)
UPLOAD_HELP_TEXT = _("PDF, DOCX, XLSX, PPTX, ODT, ODS u ODP.")

M = TypeVar("M", bound=Model)


class ModelErrorsMixin(forms.BaseForm):
    """Every validation error reaches the page, whichever field of the model it names.

    A model's clean(), its constraints and the services' full_clean() name model fields; a form
    may show such a field under another name (a session's «Hora de fin» sets `ends_at`) or not at
    all. Django then raises ValueError ("has no field named …") and the user loses what they
    typed. Here an error for `model_error_fields[name]` goes to that form field, one for a field
    the form shows goes to it, and any other becomes an error of the whole form, prefixed with the
    model field's label."""

    # {model field name: the form field that sets it}
    model_error_fields: ClassVar[dict[str, str]] = {}

    def add_error(self, field: str | None, error: Any) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)  # what Django's add_error does
        if field is not None:
            if hasattr(error, "error_dict"):
                super().add_error(field, error)  # Django's TypeError: a dict of errors names its fields
                return
            error = ValidationError({field: error.error_list})
        if not hasattr(error, "error_dict"):
            super().add_error(None, error)
            return
        routed: dict[str, list[ValidationError]] = {}
        for name, errors in error.error_dict.items():
            target = self.model_error_fields.get(name, name)
            if target != NON_FIELD_ERRORS and target not in self.fields:
                label = self._model_field_label(name)
                errors = [ValidationError(f"{label}: {message}") for message in ValidationError(errors).messages]
                target = NON_FIELD_ERRORS
            routed.setdefault(target, []).extend(errors)
        for target, errors in routed.items():
            super().add_error(None if target == NON_FIELD_ERRORS else target, errors)

    def _model_field_label(self, name: str) -> str:
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        if model is not None:
            try:
                return str(model._meta.get_field(name).verbose_name).capitalize()
            except FieldDoesNotExist:
                pass
        return name


class ModelForm(ModelErrorsMixin, forms.ModelForm):
    """The model form every app's forms (and formset rows) are built on."""


class Form(ModelErrorsMixin, forms.Form):
    """A plain form whose view adds a service's ValidationError to it."""


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
    browser retry, back button) names the same request, which creates once (a report job by its
    key, everything else through core.services.submit_once). A model form editing a stored row
    needs no key: the row's revision already guards it."""

    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            self.fields["request_key"].required = False


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


# An editable table's «Añadir fila» button (templates/cooperations/_formset_table.html) submits
# this name with the formset's prefix. With JavaScript it adds a row in place; without it, the
# page comes back as typed with ROWS_ADDED blank rows more, nothing saved.
ADD_ROWS = "add_rows"
ROWS_ADDED = 3


def with_blank_rows(data: QueryDict, formset: forms.BaseFormSet, count: int = ROWS_ADDED) -> QueryDict:
    """The submitted `data` of a page with `count` blank rows more in `formset` (bound to it):
    each new row carries the values a blank row starts with, so that it counts as unchanged
    (and is skipped on saving) until the user types in it."""
    data = data.copy()
    total = formset.total_form_count()
    empty = formset.empty_form
    for index in range(total, total + count):
        prefix = formset.add_prefix(index)
        for name in empty.fields:
            bound = empty[name]
            value = as_submitted(bound, bound.value())
            key = f"{prefix}-{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data.setlist(key, value)
            else:
                data[key] = value
    data[formset.management_form.add_prefix(TOTAL_FORM_COUNT)] = str(total + count)
    return data


def shown_as_typed(parts: Iterable[forms.BaseForm | forms.BaseFormSet]) -> None:
    """Forms and formsets bound to what the user typed, shown again without validating them
    (their errors would be about a page the user has not finished: e.g. after «Añadir fila»)."""
    for part in parts:
        # Django validates a form the first time its errors are read, unless they are set.
        shown: Any = part
        if isinstance(part, forms.BaseFormSet):
            shown._errors = [ErrorDict() for _form in part.forms]
            shown._non_form_errors = part.error_class(renderer=shown.renderer)
            for form in part.forms:
                row: Any = form
                row._errors = ErrorDict()
        else:
            shown._errors = ErrorDict()
