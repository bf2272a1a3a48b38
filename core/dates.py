"""Moments and wall clocks: showing a stored moment in a zone or a day later without ever
failing, even for a value far outside the dates the app accepts."""

import datetime
import zoneinfo
from typing import TypeVar

from django.utils import timezone

D = TypeVar("D", datetime.date, datetime.datetime)


def localtime_or_utc(moment: datetime.datetime, zone: zoneinfo.ZoneInfo | None = None) -> datetime.datetime:
    """The moment in `zone` (the current zone by default), or in UTC when it is so close to the
    ends of the calendar (year 1, year 9999) that the zone's offset would take it outside."""
    try:
        return timezone.localtime(moment, zone)
    except OverflowError:
        pass
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:
        return moment


def later_or_none(value: D, delta: datetime.timedelta) -> D | None:
    """value + delta, or None when that falls after the last day of the calendar."""
    try:
        return value + delta
    except OverflowError:
        return None
