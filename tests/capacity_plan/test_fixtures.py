from collections import Counter

import pytest
from django.core import management

from capacity_plan.models import Component, Indicator, Milestone, OrganisationalUnit, Plan, RecordingSlot, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    management.call_command("load_seed_data", verbosity=0)


def test_the_plan_has_five_components_and_twelve_hitos(seeded):
    plan = Plan.objects.get()
    assert (plan.short_name, plan.year) == ("PFC 2025", 2025)
    assert list(Component.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert list(Milestone.objects.values_list("number", flat=True)) == list(range(1, 13))
    by_component = Counter(Milestone.objects.values_list("component__number", flat=True))
    assert by_component == {1: 4, 2: 3, 3: 1, 4: 2, 5: 2}


def test_indicators_per_hito_as_the_seed_lists_them(seeded):
    per_hito = Counter(Indicator.objects.values_list("milestone__number", flat=True))
    assert [per_hito.get(number, 0) for number in range(1, 13)] == [4, 4, 3, 3, 4, 0, 3, 3, 3, 3, 3, 2]


def test_the_2024_baseline(seeded):
    plan = Plan.objects.get()
    assert (
        plan.baseline_raw_themes,
        plan.baseline_grouped_themes,
        plan.baseline_programmed,
        plan.baseline_executed,
        plan.baseline_rescheduled,
        plan.baseline_cancelled,
        plan.baseline_not_programmed,
    ) == (116, 55, 444, 356, 20, 50, 284)
    assert plan.baseline_unaccounted == 18


def test_regions_units_and_recording_schedule(seeded):
    assert Region.objects.count() == 25
    assert RecordingSlot.objects.count() == 9
    assert sum(RecordingSlot.objects.values_list("theme_count", flat=True)) == 27
    dnt = OrganisationalUnit.objects.get(acronym="DNT")
    assert (dnt.name, dnt.parent.acronym) == ("Dirección de Normativa de Trabajo", "DGT")


def test_hito_2_keeps_the_seed_discrepancy_of_seven_regions_naming_six(seeded):
    hito = Milestone.objects.get(number=2)
    assert hito.stated_region_count == 7
    assert sorted(hito.regions.values_list("name", flat=True)) == [
        "Apurímac",
        "Ayacucho",
        "Callao",
        "Huancavelica",
        "Lima Provincias",
        "Puno",
    ]


def test_demo_training_data_is_marked_kept_apart_and_created_once(seeded):
    from capacity_plan.models import PublicServant, SatisfactionResponse, TrainingAction

    management.call_command("create_demo_training", stdout=__import__("io").StringIO())
    management.call_command("create_demo_training", stdout=__import__("io").StringIO())
    assert TrainingAction.objects.count() == TrainingAction.objects.filter(is_demo=True).count() == 4
    # One of them has a session today, where ODES can open check-in by link (issue 15).
    from django.utils import timezone

    from capacity_plan.models import ActionSession

    assert ActionSession.objects.filter(date=timezone.localdate(), action__is_demo=True).count() == 1
    assert not PublicServant.objects.filter(is_demo=False).exists()
    assert SatisfactionResponse.objects.filter(is_demo=True).count() == 40
    assert all("(demo)" in title for title in TrainingAction.objects.values_list("title", flat=True))
