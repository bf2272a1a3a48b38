"""Every report view, for every role: allowed, refused (403), or not revealed (404)."""

import uuid

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports.models import Kind, ReportJob, ReportVersion
from reports.summary import summary_snapshot

ROLES = ("anonymous", "oea", "manager", "odes", "admin", "focal_requesting", "focal_providing", "focal_other")


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
def reports(world):
    """A summary job and version of the world's cooperation, a monitoring job and version, and a
    failed job of each kind."""
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
    return {
        "summary_job": summary_job,
        "summary_version": stored_version(summary_job),
        "monitoring_job": monitoring_job,
        "monitoring_version": stored_version(monitoring_job),
        "failed_summary": ReportJob.objects.create(
            kind=Kind.SUMMARY, cooperation=world.cooperation, status=ReportJob.Status.FAILED, error="x"
        ),
        "failed_monitoring": ReportJob.objects.create(
            kind=Kind.MONITORING, period_year=2025, period_number=3, status=ReportJob.Status.FAILED, error="x"
        ),
    }


SUMMARY_READERS = {
    "oea": 200,
    "admin": 200,
    "focal_requesting": 200,
    "focal_providing": 200,
    "focal_other": 404,
    "manager": 403,
    "odes": 403,
}
SUMMARY_WRITERS = {
    "oea": 302,
    "admin": 302,
    "focal_requesting": 403,
    "focal_providing": 403,
    "focal_other": 404,
    "manager": 403,
    "odes": 403,
}
MONITORING_READERS = {
    "manager": 200,
    "odes": 200,
    "admin": 200,
    "oea": 403,
    "focal_requesting": 403,
    "focal_providing": 403,
    "focal_other": 403,
}
MONITORING_WRITERS = {role: (302 if status == 200 else status) for role, status in MONITORING_READERS.items()}

# (name, method, url builder, expected status per signed-in role)
CASES = [
    (
        "home",
        "get",
        lambda w, r: reverse("reports:home"),
        {
            "oea": 200,
            "admin": 200,
            "focal_requesting": 200,
            "focal_providing": 200,
            "focal_other": 200,
            "manager": 200,
            "odes": 200,
        },
    ),
    ("summaries", "get", lambda w, r: reverse("reports:summaries", args=[w.cooperation.pk]), SUMMARY_READERS),
    (
        "summary_publish",
        "post",
        lambda w, r: reverse("reports:summary_publish", args=[w.cooperation.pk]),
        SUMMARY_WRITERS,
    ),
    (
        "summary_reopen",
        "post",
        lambda w, r: reverse("reports:summary_reopen", args=[w.cooperation.pk]),
        SUMMARY_WRITERS,
    ),
    ("monitoring", "get", lambda w, r: reverse("reports:monitoring"), MONITORING_READERS),
    ("monitoring_request", "post", lambda w, r: reverse("reports:monitoring_request"), MONITORING_WRITERS),
    ("summary job", "get", lambda w, r: reverse("reports:job", args=[r["summary_job"].pk]), SUMMARY_READERS),
    ("monitoring job", "get", lambda w, r: reverse("reports:job", args=[r["monitoring_job"].pk]), MONITORING_READERS),
    (
        "summary job retry",
        "post",
        lambda w, r: reverse("reports:job_retry", args=[r["failed_summary"].pk]),
        SUMMARY_WRITERS,
    ),
    (
        "monitoring job retry",
        "post",
        lambda w, r: reverse("reports:job_retry", args=[r["failed_monitoring"].pk]),
        MONITORING_WRITERS,
    ),
    (
        "summary version",
        "get",
        lambda w, r: reverse("reports:version", args=[r["summary_version"].pk]),
        SUMMARY_READERS,
    ),
    (
        "monitoring version",
        "get",
        lambda w, r: reverse("reports:version", args=[r["monitoring_version"].pk]),
        MONITORING_READERS,
    ),
    (
        "summary download",
        "get",
        lambda w, r: reverse("reports:version_download", args=[r["summary_version"].pk]),
        SUMMARY_READERS,
    ),
    (
        "monitoring download",
        "get",
        lambda w, r: reverse("reports:version_download", args=[r["monitoring_version"].pk]),
        MONITORING_READERS,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "expected"), CASES, ids=[case[0] for case in CASES])
def test_report_view_permissions(world, reports, role, name, method, url, expected, load_plan):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    data = {"request_key": str(uuid.uuid4()), "period": "2025-2"} if method == "post" else None
    response = getattr(client, method)(url(world, reports), data)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    else:
        assert response.status_code == expected[role], f"{name} as {role}"


@pytest.fixture
def load_plan(db):
    """The monitoring request form offers the periods of the loaded plan."""
    from tests.factories import PlanFactory

    PlanFactory(year=2025)


def test_a_version_of_another_kind_or_cooperation_is_not_served_by_guessing_ids(world, reports):
    client = Client()
    client.force_login(world.users["focal_other"])
    response = client.get(reverse("reports:version_download", args=[reports["summary_version"].pk]))
    assert response.status_code == 404
    assert b"%PDF" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_the_home_page_lists_only_the_focal_points_own_cooperations(world, reports):
    client = Client()
    client.force_login(world.users["focal_requesting"])
    page = client.get(reverse("reports:home")).content.decode()
    assert world.cooperation.short_name in page
    assert world.other.short_name not in page
    assert "seguimiento bimestral" not in page


def test_no_edit_controls_for_those_who_only_read(world, reports):
    client = Client()
    client.force_login(world.users["focal_providing"])
    page = client.get(reverse("reports:summaries", args=[world.cooperation.pk])).content.decode()
    assert "Publicar nueva versión" not in page
    client.force_login(world.users["oea"])
    page = client.get(reverse("reports:summaries", args=[world.cooperation.pk])).content.decode()
    assert "Publicar nueva versión" in page


def test_the_table_covers_every_report_url(world, reports):
    from django.urls import resolve

    from reports.urls import urlpatterns

    covered = {resolve(url(world, reports)).url_name for _name, _method, url, _expected in CASES}
    assert covered == {pattern.name for pattern in urlpatterns}
