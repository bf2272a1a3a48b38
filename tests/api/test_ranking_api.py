"""/api/v1/ranking/: the published regional ranking, read by the ranking pages' readers."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from capacity_plan.models import Region
from ranking import services
from tests.ranking.conftest import published_rankings  # noqa: F401  (fixture: two semesters published)

pytestmark = pytest.mark.django_db


def region(version: dict, name: str) -> dict:
    return next(row for row in version["rows"] if row["region_name"] == name)


def test_a_managers_token_reads_the_latest_version_of_each_semester(published_rankings, api_as, make_user):  # noqa: F811
    response = api_as(make_user("manager")).get("/api/v1/ranking/")

    assert response.status_code == 200
    versions = response.json()["results"]
    assert [(v["semester_code"], v["version"]) for v in versions] == [("2025-2", 1), ("2025-1", 2)]
    first = versions[1]
    assert first["id"] == published_rankings.latest_first.pk
    assert first["method"] == {
        "weights": {"goals": "50.00", "additional": "20.00", "financial": "30.00"},
        "thresholds": {"high": "75.00", "medium": "50.00"},
        "missing": "zero",
    }
    assert len(first["rows"]) == 25
    assert region(first, "Cusco") | {"region": None} == {
        "region": None,
        "region_name": "Cusco",
        "goals": "100.00",
        "additional": "100.00",
        "financial": "100.00",
        "score": "100.00",
        "level": "high",
        "position": 1,
    }
    puno = region(first, "Puno")
    assert (puno["additional"], puno["score"], puno["level"], puno["position"]) == (None, "69.00", "medium", 2)
    assert region(first, "Tacna")["score"] is None and region(first, "Tacna")["level"] is None


def test_the_semester_filter_and_an_older_version_by_its_id(published_rankings, api_as, make_user):  # noqa: F811
    client = api_as(make_user("odes"))
    one = client.get("/api/v1/ranking/?semester=2025-1").json()["results"]
    old = client.get(f"/api/v1/ranking/{published_rankings.old.pk}/").json()

    assert [(v["semester_code"], v["version"]) for v in one] == [("2025-1", 2)]
    assert old["version"] == 1
    assert region(old, "Cusco")["score"] == "47.00"  # 60×0.5 + 10×0.2 + 50×0.3, as first published
    assert client.get("/api/v1/ranking/?semester=2030-1").json()["results"] == []
    bad = client.get("/api/v1/ranking/?semester=primero")
    assert bad.status_code == 400
    assert "escriba año-semestre" in bad.json()["semester"][0]


@pytest.mark.parametrize("role", ["focal", "oea"])
def test_roles_that_do_not_see_the_ranking_pages_are_refused(published_rankings, api_as, make_user, role):  # noqa: F811
    assert api_as(make_user(role)).get("/api/v1/ranking/").status_code == 403
    assert api_as(make_user(role)).get(f"/api/v1/ranking/{published_rankings.old.pk}/").status_code == 403


def test_the_list_costs_the_same_queries_whatever_the_number_of_semesters(published_rankings, api_as, make_user):  # noqa: F811
    client = api_as(make_user("manager"))
    with CaptureQueriesContext(connection) as two:
        assert len(client.get("/api/v1/ranking/").json()["results"]) == 2
    odes = make_user("odes")
    third = services.ranking_create(year=2026, semester=1, by=odes)
    services.ranking_import(ranking=third, values={Region.objects.first().pk: {"goals": Decimal("70")}}, by=odes)
    services.ranking_publish(ranking=third, request_key=uuid.uuid4(), by=odes)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/api/v1/ranking/").json()["results"]) == 3
    assert len(three) == len(two)


def test_the_schema_describes_the_ranking_and_still_validates(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert set(schema["paths"]["/api/v1/ranking/"]) == {"get"}
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/ranking/"]["get"]["parameters"]}
    assert "semester" in parameters
    assert {"method", "rows", "semester_code"} <= set(schema["components"]["schemas"]["RankingVersion"]["properties"])
