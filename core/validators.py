"""What the app accepts in values every app shares: Peruvian DNIs (exactly 8 digits), and dates.

The dates the app accepts: every date and moment users type, import or enter in the admin
falls between 1 January 1990 and 31 December 2100. Anything outside is a typo (0001, 9999, a
two-digit year), and near the ends of Python's calendar such a value cannot even be moved to
another time zone. Model fields carry these validators, so model forms and the admin apply them;
plain forms and importers call them (or `is_plausible`) themselves."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from core.formats import short_date_text

EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def is_plausible(value: datetime.date) -> bool:
    """Whether a date or a moment (its day where it is written) falls inside the window."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def _refuse() -> ValidationError:
    return ValidationError(
        _("La fecha debe estar entre el %(earliest)s y el %(latest)s."),
        code="implausible_date",
        params={"earliest": short_date_text(EARLIEST), "latest": short_date_text(LATEST)},
    )


def plausible_date(value: datetime.date) -> None:
    if value is not None and not is_plausible(value):
        raise _refuse()


def plausible_datetime(value: datetime.datetime) -> None:
    plausible_date(value)


# Sensible lengths for the long texts people type or paste (a few pages at most): a 28-page
# paste is a mistake, and it would swamp the pages and PDFs that print the text.
SHORT_TEXT = 1_000
MEDIUM_TEXT = 3_000
LONG_TEXT = 5_000
DOCUMENT_TEXT = 15_000


def text_limit(limit: int) -> MaxLengthValidator:
    """The model-level length check of a long text (TextField does not make one itself; forms
    get `max_length` and a plain maxlength attribute from the field)."""
    return MaxLengthValidator(
        limit,
        message=_("Escriba como máximo %(limit_value)s caracteres (el texto tiene %(show_value)s)."),
    )


DNI_DIGITS = 8
_DNI = re.compile(r"[0-9]{8}")


def dni_text(value) -> str:
    """A DNI as typed or read from a cell, without the spaces a copy and paste leaves in it."""
    return "".join(str(value if value is not None else "").split())


def dni(value: str) -> None:
    """A Peruvian DNI: exactly 8 digits (leading zeros kept). Empty is left to `blank`."""
    if value and not _DNI.fullmatch(value):
        raise ValidationError(
            _("El DNI debe tener exactamente 8 dígitos (se escribió «%(value)s»)."),
            code="invalid_dni",
            params={"value": value},
        )
