"""Moments and wall clocks: turning a day and a time typed in a zone into a moment (refusing the
times daylight saving skips or repeats), and showing a stored moment in a zone or a day later
without ever failing, even for a value far outside the dates the app accepts."""

import datetime
import zoneinfo
from typing import TypeVar

from django.utils import timezone

D = TypeVar("D", datetime.date, datetime.datetime)


class NonexistentLocalTime(ValueError):
    """The clock jumps over this time in this zone that day (spring forward)."""


class AmbiguousLocalTime(ValueError):
    """The clock shows this time twice in this zone that day (fall back)."""


def local_moment(day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The moment a wall clock in `zone` shows `time` on `day`. Raises NonexistentLocalTime or
    AmbiguousLocalTime instead of picking one of the offsets silently, as datetime.combine does."""
    wall = datetime.datetime.combine(day, time)
    earlier, later = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier
    if earlier.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall:
        raise NonexistentLocalTime(wall, zone)
    raise AmbiguousLocalTime(wall, zone)


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
