"""What a hito page says about its regions: the named ones, those still to be chosen, and a
warning only when the document names a different number from the one it states."""

import pytest

from capacity_plan.models import Milestone

pytestmark = pytest.mark.django_db


def test_a_hito_whose_regions_are_still_to_be_chosen_says_so_without_a_warning(seed, client_for):
    hito5 = Milestone.objects.get(number=5)  # «(6) diferentes G/DRTPE», none named
    page = client_for("odes").get(hito5.get_absolute_url()).content.decode()
    assert "6 regiones, aún por seleccionar" in page
    assert "region-discrepancy" not in page and "nombra 0" not in page


def test_a_hito_naming_fewer_regions_than_it_states_is_flagged(seed, client_for):
    hito2 = Milestone.objects.get(number=2)  # says 7 directors, names 6 regions
    page = client_for("odes").get(hito2.get_absolute_url()).content.decode()
    assert "El documento indica 7 regiones pero nombra 6." in page
