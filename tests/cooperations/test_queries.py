"""List and detail pages make the same number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CooperationFactory,
    DeliverableFactory,
    ParticipationFactory,
    QuestionFactory,
    SessionFactory,
    SpecificObjectiveFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow(cooperation, n):
    objective = SpecificObjectiveFactory(cooperation=cooperation)
    for _ in range(n):
        session = SessionFactory(cooperation=cooperation)
        StepFactory(cooperation=cooperation, after_session=session)
        ParticipationFactory(cooperation=cooperation)
        QuestionFactory(objective=objective)
        DeliverableFactory(cooperation=cooperation)


@pytest.mark.parametrize("role", ["oea", "manager"])
def test_the_list_keeps_its_query_count_as_cooperations_grow(client_for, role):
    client = client_for(role)
    CooperationFactory()
    few = count_queries(client, reverse("cooperations:list"))
    for _ in range(25):
        grow(CooperationFactory(), 2)
    assert count_queries(client, reverse("cooperations:list")) == few


def test_the_detail_keeps_its_query_count_as_the_record_grows(client_for):
    client = client_for("oea")
    cooperation = CooperationFactory()
    grow(cooperation, 1)
    url = reverse("cooperations:detail", args=[cooperation.pk])
    few = count_queries(client, url)
    grow(cooperation, 15)
    assert count_queries(client, url) == few


def test_the_detail_of_a_focal_point_keeps_its_query_count(world, client_for):
    client = client_for(world.users["focal_requesting"])
    url = reverse("cooperations:detail", args=[world.cooperation.pk])
    few = count_queries(client, url)
    grow(world.cooperation, 10)
    assert count_queries(client, url) == few


def test_the_history_page_keeps_its_query_count(world, client_for):
    client = client_for(world.users["oea"])
    url = reverse("cooperations:history", args=[world.cooperation.pk])
    grow(world.cooperation, 1)  # one of every kind of part, so every related name is looked up
    few = count_queries(client, url)
    grow(world.cooperation, 10)
    assert count_queries(client, url) == few


@pytest.mark.parametrize("page", ["participants", "steps"])
def test_the_formset_pages_keep_their_query_count_as_rows_grow(client_for, page):
    """Every row's drop-downs (institution, delegation, session…) are drawn from choices read
    once for the whole formset."""
    client = client_for("oea")
    cooperation = CooperationFactory()
    grow(cooperation, 2)
    url = reverse(f"cooperations:{page}", args=[cooperation.pk])
    few = count_queries(client, url)
    grow(cooperation, 10)
    assert count_queries(client, url) == few


def test_the_participation_admin_list_keeps_its_query_count(client_for):
    client = client_for("admin")
    cooperation = CooperationFactory()
    grow(cooperation, 2)
    url = reverse("admin:cooperations_participation_changelist")
    few = count_queries(client, url)
    grow(cooperation, 10)
    assert count_queries(client, url) == few
