"""Cell readers (django-import-export widgets) for the values Google Forms writes: regions by
name, ratings from 1 to 5, timestamps in the formats of its exports, and the objects every row of
one import belongs to."""

import datetime
import math
import re

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import widgets

from core.formats import short_date_text
from core.validators import EARLIEST, LATEST, is_plausible

from ..models import PublicServant, Region
from .files import plain


class RegionWidget(widgets.ForeignKeyWidget):
    """A region by name, without caring for accents or case."""

    def __init__(self):
        super().__init__(Region, "name")
        self._by_plain: dict[str, Region] | None = None

    def clean(self, value, row=None, **kwargs):
        if self._by_plain is None:
            self._by_plain = {plain(region.name): region for region in Region.objects.all()}
        if not str(value or "").strip():
            raise ValueError(_("Falta la región."))
        region = self._by_plain.get(plain(value))
        if region is None:
            raise ValueError(_("Región desconocida: «%(value)s».") % {"value": value})
        return region


class KnownObjectWidget(widgets.ForeignKeyWidget):
    """The object every row of one import belongs to (its session, its action), known before the
    file is read: no query per row to find it again."""

    def __init__(self, obj: models.Model):
        super().__init__(type(obj))
        self.obj = obj

    def clean(self, value, row=None, **kwargs):
        return self.obj


class ServantKeyWidget(widgets.ForeignKeyWidget):
    """A servant by identity key. The rows' servants are upserted before the row is imported and
    remembered here, so finding them again costs no query."""

    def __init__(self):
        super().__init__(PublicServant, "identity_key")
        self.upserted: dict[str, PublicServant] = {}

    def remember(self, servant: PublicServant) -> PublicServant:
        self.upserted[servant.identity_key] = servant
        return servant

    def clean(self, value, row=None, **kwargs):
        servant = self.upserted.get(str(value or ""))
        return servant if servant is not None else super().clean(value, row, **kwargs)


class RatingWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("Falta la calificación."))
        try:
            number = float(str(value).strip().replace(",", "."))
        except ValueError as error:
            raise ValueError(_("«%(value)s» no es un número del 1 al 5.") % {"value": value}) from error
        if not math.isfinite(number):  # "inf", "nan", "1e400"
            raise ValueError(_("«%(value)s» no es un número del 1 al 5.") % {"value": value})
        if number != int(number) or not 1 <= number <= 5:
            raise ValueError(_("La calificación va de 1 a 5 (se leyó %(value)s).") % {"value": value})
        return int(number)


def parse_timestamp(value) -> datetime.datetime:
    """A Google Forms «Marca temporal» (a datetime cell, a date cell, or text in one of the
    formats its exports use, with or without a.m./p.m. and a GMT offset) as an aware datetime."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(12))
    else:
        text = str(value or "").strip()
        text = re.sub(r"\s*(GMT|UTC)[+-]?\d*$", "", text)
        meridian = None
        match = re.search(r"\s*([ap])\.?\s*m\.?$", text, re.IGNORECASE)
        if match:
            meridian, text = match.group(1).lower(), text[: match.start()]
        parsed = None
        for pattern in (
            "%d/%m/%Y %H:%M:%S",
            "%Y/%m/%d %H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%d/%m/%Y %H:%M",
            "%d/%m/%Y",
            "%Y-%m-%d",
        ):
            try:
                parsed = datetime.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if parsed is None:
            raise ValueError(_("Marca temporal no válida: «%(value)s».") % {"value": value})
        moment = parsed
        if meridian == "p" and moment.hour < 12:
            moment = moment.replace(hour=moment.hour + 12)
        elif meridian == "a" and moment.hour == 12:
            moment = moment.replace(hour=0)
    # A year like 0999 or 9999 is a typo, and one that breaks: 0999 is lost by the strftime in
    # SurveyResource, and an evening of 31/12/9999 in Lima is year 10000 in UTC, which PostgreSQL
    # stores and Python cannot read. The window is the one of every date the app accepts.
    if not is_plausible(moment):
        raise ValueError(
            _("Marca temporal no válida: «%(value)s» (la fecha debe estar entre el %(earliest)s y el %(latest)s).")
            % {"value": value, "earliest": short_date_text(EARLIEST), "latest": short_date_text(LATEST)}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
