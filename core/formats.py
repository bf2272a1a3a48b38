"""Numbers, percentages and dates as users read them, in the active language (Spanish: "72,5",
"72,5%", "17 de marzo de 2025", "17/03/2025", "Mar"). Pages, charts, imports and the PDF reports
all format through these functions, so a value reads the same everywhere (and lists of names:
"MITRADEL y MTPE").

They go through django.utils.formats (the active locale's separators and date formats), never
through str.replace or strftime. Empty values: "—" for numbers, "" for dates."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import gettext as _

NO_NUMBER = "—"


def _decimal(value) -> Decimal:
    # str() first: a float's shortest repr (72.5), not its binary expansion.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number_text(value, places: int = 1, *, fixed: bool = False) -> str:
    """A number (Decimal, int, float or their string, as report snapshots store them) rounded
    half up to `places`, without trailing zeros: "72.50" → "72,5", "80.00" → "80",
    4.125 (places=2) → "4,13"; None or "" → "—". `fixed` keeps exactly `places` decimals, for
    values read side by side in a column (ratings 1 to 5: "3,60" beside "4,13")."""
    if value is None or value == "":
        return NO_NUMBER
    number = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if fixed:
        return formats.number_format(number, decimal_pos=places)
    exponent = number.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return formats.number_format(number, decimal_pos=decimals)


def rating_text(value) -> str:
    """An average of 1-to-5 ratings, always with two decimals: "3,60", "4,13"; "—" without one."""
    return number_text(value, 2, fixed=True)


def percent_text(value, places: int = 1) -> str:
    """number_text with a percent sign: "72.50" → "72,5%"; None or "" → "—"."""
    text = number_text(value, places)
    return text if text == NO_NUMBER else f"{text}%"


def shortened(text: str, limit: int = 80) -> str:
    """The text cut to at most `limit` characters at a word's end, with "…" when it was cut:
    a heading never stops mid-word («…con el secto»)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def _day(value) -> datetime.date | None:
    """A date, a datetime (its date) or an ISO string ("2025-03-17", "2025-03-17T10:00")."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, datetime.datetime) else value


def date_text(value) -> str:
    """The long date: "17 de marzo de 2025" (a date or an ISO string); "" for none."""
    day = _day(value)
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def short_date_text(value) -> str:
    """The short date: "17/03/2025" in Spanish (a date or an ISO string); "" for none."""
    day = _day(value)
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def weekday_date_text(day: datetime.date) -> str:
    """The long date with its weekday: "Lunes, 17 de marzo de 2025"."""
    return f"{formats.date_format(day, 'l').capitalize()}, {date_text(day)}"


def datetime_text(moment: datetime.datetime) -> str:
    """A moment as "17 de marzo de 2025 a las 10:30" (already in the zone to show)."""
    return formats.date_format(moment, "DATETIME_FORMAT")


def month_abbreviation(month: int) -> str:
    """The month's short name, capitalised: 3 → "Mar" (Django's "M" date format)."""
    return formats.date_format(datetime.date(2000, month, 1), "M")


def day_month_text(day: datetime.date) -> str:
    """The day and month, for a version line or a session's short date: "17 de marzo"."""
    return formats.date_format(day, "j \\d\\e F")


def time_text(moment: datetime.datetime | datetime.time) -> str:
    """The hour and minutes on a 24-hour clock: "09:05" (already in the zone to show)."""
    return formats.time_format(moment, "H:i")


def names_text(names: list[str]) -> str:
    """An enumeration as Spanish writes it: «A», «A y B», «A, B y C» (empty for none)."""
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s y %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
