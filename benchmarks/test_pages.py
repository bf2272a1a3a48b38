"""Response time of the busiest pages on a realistic volume (run with `make bench`).

Each benchmark renders a whole page through Django (middleware, queries, templates) on
PostgreSQL; pytest-benchmark prints min / median / max and the number of rounds."""

import pytest
from django.urls import reverse

from accounts.roles import MANAGER, ODES_SPECIALIST, OEA_STAFF

pytestmark = pytest.mark.django_db


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_cooperation_list(benchmark, signed_in):
    client = signed_in(OEA_STAFF)
    benchmark(get_ok, client, reverse("cooperations:list"))


def test_cooperation_detail_of_the_largest_seed(benchmark, signed_in):
    client = signed_in(OEA_STAFF)
    benchmark(get_ok, client, reverse("cooperations:detail", args=[4]))


def test_pfc_plan_page(benchmark, signed_in):
    client = signed_in(MANAGER)
    benchmark(get_ok, client, reverse("capacity_plan:home") + "?periodo=2025-2")


def test_training_action_list(benchmark, signed_in):
    client = signed_in(ODES_SPECIALIST)
    benchmark(get_ok, client, reverse("capacity_plan:actions"))


def test_attendance_grid(benchmark, signed_in):
    from capacity_plan.models import ActionSession

    client = signed_in(ODES_SPECIALIST)
    session = ActionSession.objects.filter(action__is_demo=False).first()
    benchmark(get_ok, client, reverse("capacity_plan:attendance", args=[session.pk]))
