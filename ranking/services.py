"""Writes of the regional ranking: create one per semester, enter or import its values, publish
an immutable version with its PDF."""

import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.decorators import require
from capacity_plan.models import Region

from . import selectors
from .models import Ranking, RankingEntry, RankingVersion
from .permissions import EDIT_RANKING
from .scoring import DIMENSIONS


@transaction.atomic
def ranking_create(*, year: int, semester: int, by: User) -> Ranking:
    """A ranking for the semester with the default method and one empty entry per region."""
    require(by, EDIT_RANKING)
    ranking = Ranking(year=year, semester=semester, created_by=by)
    ranking.full_clean()
    ranking.save()
    RankingEntry.objects.bulk_create(
        RankingEntry(ranking=ranking, region_id=pk) for pk in Region.objects.values_list("pk", flat=True)
    )
    return ranking


STALE_RANKING = "stale_ranking"


@transaction.atomic
def ranking_update(
    *,
    ranking: Ranking,
    expected_revision: int | None,
    method: Mapping[str, Any],
    values: Mapping[int, Mapping[str, Any]],
    by: User,
) -> Ranking:
    """Save the method (weights, thresholds, missing data) and the values of the regions given
    (region id -> {goals, additional, financial, note}). Refused when someone saved or imported
    the ranking after the page was opened (`expected_revision`, the revision it showed)."""
    require(by, EDIT_RANKING)
    current = Ranking.objects.select_for_update().get(pk=ranking.pk)
    if expected_revision is not None and expected_revision != current.revision:
        raise ValidationError(
            _(
                "Otra persona guardó o importó valores de este ranking mientras usted lo editaba. "
                "Abra la página de nuevo para ver lo guardado."
            ),
            code=STALE_RANKING,
        )
    for field, value in method.items():
        setattr(ranking, field, value)
    ranking.revision = current.revision + 1
    ranking.full_clean(validate_unique=False)
    ranking.save()
    _entries_save(ranking, values)
    return ranking


@transaction.atomic
def ranking_import(*, ranking: Ranking, values: Mapping[int, Mapping[str, Any]], by: User) -> int:
    """Write the values of a validated import file (all rows: the caller refused the file
    when any row had an error). Regions not in the file keep theirs. Returns the rows written."""
    require(by, EDIT_RANKING)
    _entries_save(ranking, values)
    Ranking.objects.filter(pk=ranking.pk).update(updated_at=timezone.now(), revision=F("revision") + 1)
    return len(values)


def _entries_save(ranking: Ranking, values: Mapping[int, Mapping[str, Any]]) -> None:
    existing = {entry.region_id: entry for entry in ranking.entries.all()}
    changed: list[RankingEntry] = []
    new: list[RankingEntry] = []
    for region_id, row in values.items():
        entry = existing.get(region_id) or RankingEntry(ranking=ranking, region_id=region_id)
        for name in DIMENSIONS:
            setattr(entry, name, row.get(name))
        entry.note = row.get("note") or ""
        entry.full_clean(exclude=["ranking", "region"], validate_unique=False, validate_constraints=False)
        (changed if entry.pk else new).append(entry)
    RankingEntry.objects.bulk_update(changed, [*DIMENSIONS, "note"])
    RankingEntry.objects.bulk_create(new)


def ranking_snapshot(*, ranking: Ranking) -> dict[str, Any]:
    """What a published version stores and prints: the ranking, its method and its rows (the
    values as entered, the score, level and position computed from them)."""
    from .scoring import method_of, ranking_rows

    method = method_of(ranking)
    return {
        "schema_version": 1,
        "ranking": {"id": ranking.pk, "year": ranking.year, "semester": ranking.semester, "title": str(ranking)},
        "method": method,
        "rows": ranking_rows(method=method, entries=selectors.entry_values(ranking=ranking)),
    }


def ranking_publish(*, ranking: Ranking, request_key: uuid.UUID, by: User) -> RankingVersion:
    """Publish the ranking as it stands: a new numbered, immutable version with its PDF. The same
    request key publishes once (a double click gives back the first version). The PDF (two
    pages for 25 regions) is rendered here, before the transaction that numbers the version."""
    require(by, EDIT_RANKING)
    earlier = RankingVersion.objects.filter(request_key=request_key).first()
    if earlier is not None:
        return earlier
    from .rendering import ranking_file_name, ranking_pdf

    snapshot = ranking_snapshot(ranking=ranking)
    if not any(row["score"] is not None for row in snapshot["rows"]):
        raise ValidationError(_("Ninguna región tiene valores: ingréselos o impórtelos antes de publicar."))
    for _attempt in range(3):
        number = (ranking.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        created_at = timezone.now()
        pdf = ranking_pdf(snapshot, number=number, created_at=created_at)
        file_name = ranking_file_name(ranking, number)
        version = RankingVersion(
            request_key=request_key,
            ranking=ranking,
            number=number,
            created_by=by,
            created_at=created_at,
            file_name=file_name,
            size=len(pdf),
            sha256=hashlib.sha256(pdf).hexdigest(),
            snapshot=snapshot,
        )
        version.file.save(f"{request_key.hex}/{file_name}", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                version.save()
            return version
        except IntegrityError:
            version.file.delete(save=False)
            earlier = RankingVersion.objects.filter(request_key=request_key).first()
            if earlier is not None:
                return earlier
            # Another version took the number meanwhile: render again with the next one.
    raise ValidationError(_("Se publicaron varias versiones a la vez; vuelva a intentarlo."))
