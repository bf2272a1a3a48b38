"""Reads of the regional ranking, each in a fixed number of queries whatever the data size."""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from capacity_plan.selectors import _regions

from .models import Ranking, RankingEntry, RankingVersion
from .scoring import DIMENSIONS, method_of, ranking_rows


def ranking_list() -> QuerySet[Ranking]:
    return Ranking.objects.all()


def ranking_get(*, pk: int) -> Ranking:
    return get_object_or_404(Ranking, pk=pk)


def ranking_entries(*, ranking: Ranking) -> QuerySet[RankingEntry]:
    """The ranking's entries in the regions' Spanish order."""
    return ranking.entries.select_related("region").order_by("region__name")


def entry_values(*, ranking: Ranking) -> list[dict[str, Any]]:
    """Every region's values as plain data (strings or None), one row per region, alphabetical;
    a region without an entry gets empty values. Two queries."""
    entries = {entry.region_id: entry for entry in ranking.entries.all()}
    rows = []
    for pk, name in _regions():
        entry = entries.get(pk)
        values = {name_: getattr(entry, name_) if entry else None for name_ in DIMENSIONS}
        rows.append(
            {
                "region": pk,
                "region_name": name,
                **{key: (str(value) if value is not None else None) for key, value in values.items()},
                "note": entry.note if entry else "",
            }
        )
    return rows


def ranking_table(*, ranking: Ranking) -> list[dict[str, Any]]:
    """The ranking as it stands: each region with its score, level and position."""
    return ranking_rows(method=method_of(ranking), entries=entry_values(ranking=ranking))


def ranking_versions(*, ranking: Ranking) -> QuerySet[RankingVersion]:
    return ranking.versions.select_related("created_by").defer("snapshot").order_by("-number")


def version_get(*, pk: int) -> RankingVersion:
    return get_object_or_404(RankingVersion.objects.select_related("ranking", "created_by"), pk=pk)


def latest_version() -> RankingVersion | None:
    """The latest published version of the latest ranking that has one."""
    return (
        RankingVersion.objects.select_related("ranking")
        .order_by("-ranking__year", "-ranking__semester", "-number")
        .first()
    )


def latest_levels() -> tuple[RankingVersion | None, dict[int, dict[str, Any]]]:
    """The latest published ranking and each region's row in it (score, level, position), by
    region id. One query."""
    version = latest_version()
    if version is None:
        return None, {}
    return version, {row["region"]: row for row in version.snapshot["rows"]}


def parse_semester(text: str) -> tuple[int, int]:
    """«2025-1» → (2025, 1); ValueError for anything else."""
    year, _sep, semester = text.strip().partition("-")
    if not (year.isdigit() and semester in ("1", "2")):
        raise ValueError(text)
    return int(year), int(semester)


def published_versions(*, semester: tuple[int, int] | None = None) -> QuerySet[RankingVersion]:
    """The latest published version of each ranking (of one semester, when given), latest
    semester first. One query (the versions carry their rows in their snapshot)."""
    latest = RankingVersion.objects.filter(ranking=OuterRef("ranking")).order_by("-number").values("pk")[:1]
    versions = (
        RankingVersion.objects.filter(pk=Subquery(latest))
        .select_related("ranking")
        .order_by("-ranking__year", "-ranking__semester")
    )
    if semester is not None:
        versions = versions.filter(ranking__year=semester[0], ranking__semester=semester[1])
    return versions


def published_version_list() -> QuerySet[RankingVersion]:
    return RankingVersion.objects.select_related("ranking").order_by("-ranking__year", "-ranking__semester", "-number")
