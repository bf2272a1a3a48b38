"""core.formats: numbers, percentages and dates as users read them. Pure functions: no database."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.formats import (
    date_text,
    datetime_text,
    day_month_text,
    month_abbreviation,
    number_text,
    percent_text,
    short_date_text,
    time_text,
    weekday_date_text,
)


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("72.50"), 1, "72,5"),
        ("72.50", 1, "72,5"),  # as report snapshots store numbers
        (Decimal("80.00"), 1, "80"),
        (Decimal("4.125"), 2, "4,13"),  # half up, not to even
        (Decimal("4.25"), 1, "4,3"),
        (Decimal("3.60"), 2, "3,6"),
        (3.6, 1, "3,6"),
        (72, 1, "72"),
        (Decimal("0.00"), 2, "0"),
        (Decimal("100.00"), 2, "100"),
        (Decimal("1234.5"), 1, "1234,5"),  # no thousands separator
        (Decimal("-2.50"), 2, "-2,5"),
        (None, 1, "—"),
        ("", 1, "—"),
    ],
)
def test_number_text_rounds_half_up_and_drops_trailing_zeros(value, places, text):
    with translation.override("es"):
        assert number_text(value, places) == text


def test_number_text_follows_the_active_language():
    with translation.override("en"):
        assert number_text(Decimal("72.50")) == "72.5"


def test_percent_text_adds_the_sign_but_not_to_a_missing_value():
    with translation.override("es"):
        assert percent_text("72.50") == "72,5%"
        assert percent_text(Decimal("66.666"), places=2) == "66,67%"
        assert percent_text(None) == "—"
        assert percent_text("") == "—"


def test_dates_in_spanish_from_dates_datetimes_and_iso_strings():
    with translation.override("es"):
        assert date_text(datetime.date(2025, 3, 17)) == "17 de marzo de 2025"
        assert date_text("2025-03-17") == "17 de marzo de 2025"
        assert date_text("2025-03-17T10:30:00") == "17 de marzo de 2025"
        assert date_text(datetime.datetime(2025, 3, 17, 23, 59)) == "17 de marzo de 2025"
        assert date_text(None) == date_text("") == ""


def test_short_dates_are_day_month_year_in_spanish():
    with translation.override("es"):
        assert short_date_text(datetime.date(2025, 3, 7)) == "07/03/2025"
        assert short_date_text("2025-12-31") == "31/12/2025"
        assert short_date_text(None) == ""


def test_weekday_day_month_and_moment():
    with translation.override("es"):
        assert weekday_date_text(datetime.date(2025, 3, 17)) == "Lunes, 17 de marzo de 2025"
        assert day_month_text(datetime.date(2025, 3, 17)) == "17 de marzo"
        assert datetime_text(datetime.datetime(2025, 3, 17, 10, 30)) == "17 de marzo de 2025 a las 10:30"
        assert time_text(datetime.datetime(2025, 3, 17, 9, 5)) == "09:05"
        assert time_text(datetime.time(18, 0)) == "18:00"


def test_month_abbreviations_are_djangos_in_the_active_language():
    with translation.override("es"):
        assert [month_abbreviation(month) for month in range(1, 13)] == [
            "Ene",
            "Feb",
            "Mar",
            "Abr",
            "May",
            "Jun",
            "Jul",
            "Ago",
            "Sep",
            "Oct",
            "Nov",
            "Dic",
        ]
    with translation.override("en"):
        assert month_abbreviation(8) == "Aug"


def test_ratings_read_with_two_decimals_side_by_side():
    from core.formats import rating_text

    with translation.override("es"):
        assert [rating_text(value) for value in (Decimal("3.6"), Decimal("4.125"), 5, None)] == [
            "3,60",
            "4,13",
            "5,00",
            "—",
        ]
        assert number_text(Decimal("3.6"), 2, fixed=True) == "3,60"


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        (
            "Conocer la experiencia de articulación con el sector privado",
            45,
            "Conocer la experiencia de articulación con…",
        ),
        ("Corto", 80, "Corto"),
        ("Palabra, otra palabra", 10, "Palabra…"),
        ("Unapalabramuylargasinespacios", 10, "Unapalabr…"),
        ("Justo diez", 10, "Justo diez"),
        ("  espacios   de\nmás  ", 80, "espacios de más"),
    ],
)
def test_shortened_text_ends_at_a_word(text, limit, shown):
    from core.formats import shortened

    assert shortened(text, limit) == shown
    assert len(shortened(text, limit)) <= limit
