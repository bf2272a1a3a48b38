import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports.models import Kind, ReportJob, ReportVersion, SummarySection
from reports.services import summary_comment_create
from reports.summary import summary_snapshot
from tests.cooperations.conftest import world  # noqa: F401  (the two-cooperation world, reused)


def stored_version(job: ReportJob, **fields) -> ReportVersion:
    """A version row with a small PDF (rendering is tested elsewhere; here only access is)."""
    version = ReportVersion(
        kind=job.kind,
        cooperation=job.cooperation,
        period_year=job.period_year,
        period_number=job.period_number,
        number=1,
        job=job,
        created_at=timezone.now(),
        file_name="informe.pdf",
        size=9,
        sha256="0" * 64,
        snapshot=summary_snapshot(job.cooperation) if job.cooperation else {},
        **fields,
    )
    version.file.save("informe.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    version.save()
    return version


@pytest.fixture
def reports(world):  # noqa: F811
    """A summary job and version (open to comments, with one comment of the requesting
    institution) of the world's cooperation, a monitoring job and version, and a failed job of
    each kind."""
    summary_job = ReportJob.objects.create(
        kind=Kind.SUMMARY, cooperation=world.cooperation, requested_by=world.users["oea"], status=ReportJob.Status.DONE
    )
    monitoring_job = ReportJob.objects.create(
        kind=Kind.MONITORING,
        period_year=2025,
        period_number=2,
        requested_by=world.users["manager"],
        status=ReportJob.Status.DONE,
    )
    summary_version = stored_version(summary_job, open_for_comments=True)
    return {
        "summary_job": summary_job,
        "summary_version": summary_version,
        "summary_comment": summary_comment_create(
            version=summary_version,
            section=SummarySection.SESSIONS,
            text="Falta la hora de Asunción en la segunda sesión.",
            by=world.users["focal_requesting"],
        ),
        "monitoring_job": monitoring_job,
        "monitoring_version": stored_version(monitoring_job),
        "failed_summary": ReportJob.objects.create(
            kind=Kind.SUMMARY, cooperation=world.cooperation, status=ReportJob.Status.FAILED, error="x"
        ),
        "failed_monitoring": ReportJob.objects.create(
            kind=Kind.MONITORING, period_year=2025, period_number=3, status=ReportJob.Status.FAILED, error="x"
        ),
    }
