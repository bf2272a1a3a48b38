"""Filter fields every list page shares: the free-text search, bounded so that a pasted essay
costs no more than a short query (and is refused with a message rather than a 500), and the
month picker, which accepts only a plausible month so that the month before and after it, and
its last day, are dates too."""

import datetime
import re
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.validators import EARLIEST, LATEST

# A search is at most this many characters and this many words (terms).
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_TERMS = 10
# The months a month filter accepts (first and last year included).
# The months a filter accepts: those of the plausible date window every typed date keeps to.
MONTH_FIRST_YEAR = EARLIEST.year
MONTH_LAST_YEAR = LATEST.year

MONTH_PATTERN = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def search_terms(text: str) -> list[str]:
    """The words of a search, each of which a searched record must contain."""
    return text.split()


class SearchField(forms.CharField):
    """The text of a search box: at most SEARCH_MAX_LENGTH characters and SEARCH_MAX_TERMS words."""

    default_error_messages = {
        "too_many_terms": _("Busque con %(limit)d palabras como máximo (escribió %(count)d)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", SEARCH_MAX_LENGTH)
        super().__init__(**kwargs)
        for validator in self.validators:
            if isinstance(validator, MaxLengthValidator):
                validator.message = _("Busque con %(limit_value)d caracteres como máximo (escribió %(show_value)d).")

    def validate(self, value: Any) -> None:
        super().validate(value)
        count = len(search_terms(value or ""))
        if count > SEARCH_MAX_TERMS:
            raise ValidationError(
                self.error_messages["too_many_terms"],
                code="too_many_terms",
                params={"limit": SEARCH_MAX_TERMS, "count": count},
            )


class SearchFilter(django_filters.CharFilter):
    """A search box of a list filter (see SearchField); `method` or `lookup_expr` does the search."""

    field_class = SearchField


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return f"{value.year:04d}-{value.month:02d}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month written YYYY-MM (as <input type="month"> sends it), cleaned to its first day,
    between MONTH_FIRST_YEAR and MONTH_LAST_YEAR."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Escriba el mes como AAAA-MM (por ejemplo, 2025-04)."),
        "out_of_range": _("Elija un mes entre %(first)d y %(last)d."),
    }

    def to_python(self, value: Any) -> datetime.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        match = MONTH_PATTERN.fullmatch(str(value).strip())
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if not MONTH_FIRST_YEAR <= year <= MONTH_LAST_YEAR:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": MONTH_FIRST_YEAR, "last": MONTH_LAST_YEAR},
            )
        return datetime.date(year, month, 1)


class MonthFilter(django_filters.Filter):
    """A month of a list filter (see MonthField); its `method` gets the month's first day."""

    field_class = MonthField
