"""Reads of the reports pages, each in a fixed number of queries."""

import uuid

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404

from capacity_plan.models import Plan
from capacity_plan.periods import Bimester
from cooperations.models import Cooperation
from cooperations.selectors import cooperation_visible

from .models import Kind, MonitoringNarrative, ReportJob, ReportVersion, SummaryComment, SummarySeries
from .permissions import SEE_SUMMARY_COMMENTS


def summary_overview(*, user: User) -> QuerySet[Cooperation]:
    """The cooperations whose summaries the user may read, with their latest version."""
    latest = ReportVersion.objects.filter(kind=Kind.SUMMARY, cooperation=OuterRef("pk")).order_by("-number")
    return (
        cooperation_visible(user=user)
        .select_related("requesting_institution__country", "providing_institution__country", "call")
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_id=Subquery(latest.values("pk")[:1]),
            latest_created_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("-call__number", "short_name")
    )


def summary_versions(*, cooperation: Cooperation) -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(kind=Kind.SUMMARY, cooperation=cooperation)
        .select_related("created_by")
        .defer("snapshot")
        .order_by("-number")
    )


def monitoring_versions() -> list[ReportVersion]:
    return list(
        ReportVersion.objects.filter(kind=Kind.MONITORING)
        .select_related("created_by")
        .defer("snapshot")
        .order_by("-period_year", "-period_number", "-number")
    )


def recent_jobs(
    *, cooperation: Cooperation | None = None, kind: str = Kind.SUMMARY, limit: int = 10
) -> list[ReportJob]:
    """Jobs still pending or failed (done ones show as versions)."""
    queryset = ReportJob.objects.filter(kind=kind).exclude(status=ReportJob.Status.DONE)
    if cooperation is not None:
        queryset = queryset.filter(cooperation=cooperation)
    return list(queryset.select_related("requested_by", "cooperation").order_by("-requested_at")[:limit])


def job_get(*, pk: int) -> ReportJob:
    job = ReportJob.objects.select_related("cooperation", "requested_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def version_get(*, pk: int) -> ReportVersion:
    """One version without its snapshot (a monitoring one holds the whole annex); only the
    summary's change list reads it."""
    version = ReportVersion.objects.select_related("cooperation", "created_by").defer("snapshot").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def version_of_job(*, job: ReportJob) -> ReportVersion | None:
    return ReportVersion.objects.defer("snapshot").filter(job=job).first()


def job_for_request(*, request_key: uuid.UUID) -> ReportJob | None:
    return ReportJob.objects.filter(request_key=request_key).first()


def series_is_closed(*, cooperation: Cooperation) -> bool:
    return SummarySeries.objects.filter(cooperation=cooperation, is_closed=True).exists()


def series_versions(*, of: ReportJob | ReportVersion) -> QuerySet[ReportVersion]:
    """The versions of the series a job or a version belongs to (a cooperation's summaries, or
    one period's monitoring reports)."""
    if of.kind == Kind.SUMMARY:
        assert of.cooperation_id is not None  # made from a summary job, which names one
        return ReportVersion.objects.filter(kind=Kind.SUMMARY, cooperation_id=of.cooperation_id)
    return ReportVersion.objects.filter(
        kind=Kind.MONITORING, period_year=of.period_year, period_number=of.period_number
    )


def previous_version(*, version: ReportVersion) -> ReportVersion | None:
    return series_versions(of=version).filter(number__lt=version.number).defer("snapshot").order_by("-number").first()


def snapshots_of(*, versions: list[ReportVersion]) -> dict[int, dict]:
    """The snapshots of a few versions (a version and the previous one, to compare), by id, in
    one query."""
    return dict(ReportVersion.objects.filter(pk__in=[v.pk for v in versions]).values_list("pk", "snapshot"))


def version_comments(*, user: User, version: ReportVersion) -> list[SummaryComment]:
    """The comments on a summary version, by section and date; none for those who may not read
    them (the caller checked the version's cooperation is visible)."""
    if version.kind != Kind.SUMMARY or not user.has_perm(SEE_SUMMARY_COMMENTS, version.cooperation):
        return []
    return list(
        SummaryComment.objects.filter(version=version)
        .select_related("institution", "author", "resolved_by", "listed_in")
        .order_by("section", "created_at", "pk")
    )


def comment_get(*, pk: int) -> SummaryComment:
    comment = (
        SummaryComment.objects.select_related("version__cooperation", "institution", "author").filter(pk=pk).first()
    )
    if comment is None:
        raise Http404
    return comment


def comments_to_list(*, cooperation_id: int) -> list[SummaryComment]:
    """Resolved comments on the cooperation's summaries that no version has listed yet, in the
    order they were resolved."""
    return list(
        SummaryComment.objects.to_list_in_next_version(cooperation_id=cooperation_id)
        .select_related("version", "institution", "author", "resolved_by")
        .order_by("resolved_at", "pk")
    )


def latest_summary_number(*, cooperation_id: int) -> int | None:
    return (
        ReportVersion.objects.filter(kind=Kind.SUMMARY, cooperation_id=cooperation_id)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )


# --- The home page ------------------------------------------------------------------------------


def summaries_open_to_comments(*, user: User) -> list[ReportVersion]:
    """The latest summary version of each cooperation the user sees, when it was published open
    to comments (and its series is not closed); newest first."""
    later = ReportVersion.objects.filter(
        kind=Kind.SUMMARY, cooperation=OuterRef("cooperation"), number__gt=OuterRef("number")
    )
    closed = SummarySeries.objects.filter(cooperation=OuterRef("cooperation"), is_closed=True)
    return list(
        ReportVersion.objects.filter(
            kind=Kind.SUMMARY,
            cooperation__in=cooperation_visible(user=user),
            is_final=False,
            open_for_comments=True,
        )
        .exclude(Exists(later))
        .exclude(Exists(closed))
        .select_related("cooperation")
        .defer("snapshot")
        .order_by("-created_at", "-pk")
    )


def latest_monitoring_version() -> ReportVersion | None:
    """The monitoring report generated last (of any period)."""
    return ReportVersion.objects.filter(kind=Kind.MONITORING).defer("snapshot").order_by("-created_at", "-pk").first()


# --- Narratives of the monitoring reports ------------------------------------------------------


def narrative_get(*, plan: Plan, period: Bimester) -> MonitoringNarrative | None:
    """The narrative ODES wrote for a period of the plan, if any (one query)."""
    return (
        MonitoringNarrative.objects.select_related("updated_by")
        .filter(plan=plan, period_year=period.year, period_number=period.number)
        .first()
    )


def narratives_of_year(*, plan: Plan) -> dict[int, MonitoringNarrative]:
    """The plan's narratives by bimester number (one query)."""
    return {
        narrative.period_number: narrative
        for narrative in MonitoringNarrative.objects.select_related("updated_by").filter(
            plan=plan, period_year=plan.year
        )
    }


def narrative_history(*, narrative: MonitoringNarrative, limit: int = 20) -> list:
    """The narrative's saved revisions, newest first, with who saved each (one query)."""
    return list(narrative.history.select_related("history_user").order_by("-revision", "-history_date")[:limit])


def narrative_at_revision(*, narrative: MonitoringNarrative, revision: int | None) -> MonitoringNarrative:
    """The narrative as it was at `revision` (what a user opened); an empty one for a page
    opened before the narrative existed, or a revision history does not know."""
    record = (
        narrative.history.filter(revision=revision).order_by("-history_date").first() if revision is not None else None
    )
    if record is None:
        return MonitoringNarrative(
            plan_id=narrative.plan_id,
            period_year=narrative.period_year,
            period_number=narrative.period_number,
            revision=0,
        )
    opened: MonitoringNarrative = record.instance
    return opened


def narrative_changes_since(*, narrative: MonitoringNarrative, revision: int | None) -> list:
    """The revisions saved after `revision` (None: all), oldest first, with who saved them."""
    history = narrative.history.select_related("history_user").order_by("revision", "history_date")
    return list(history.filter(revision__gt=revision) if revision is not None else history)
