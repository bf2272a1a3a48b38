"""Query helpers shared by the apps."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_subquery(related: QuerySet, field: str) -> Coalesce:
    """The number of `related` rows whose `field` points at the outer row, as a correlated
    subquery. Unlike Count() over a join, it costs nothing for rows a page does not show and
    keeps the paginator's COUNT(*) free of GROUP BY."""
    counts = related.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
