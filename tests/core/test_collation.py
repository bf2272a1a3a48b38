"""Alphabetical order as Spanish readers expect it, in the database (PostgreSQL here; the
expression is plain SQL functions, so SQLite sorts the same) and in Python."""

import pytest

from capacity_plan.models import Region
from core.collation import spanish_order, spanish_sort_key
from tests.factories import ServantFactory


def test_accents_and_case_do_not_count_and_n_tilde_follows_n():
    names = ["Ucayali", "Áncash", "apurímac", "Peña", "Penal", "Pena", "Junín", "Lima"]
    assert sorted(names, key=spanish_sort_key) == [
        "Áncash",
        "apurímac",
        "Junín",
        "Lima",
        "Pena",
        "Penal",
        "Peña",
        "Ucayali",
    ]


@pytest.mark.django_db
def test_the_25_regions_are_listed_with_ancash_second_not_after_ucayali(seed):
    names = list(Region.objects.values_list("name", flat=True))
    assert len(names) == 25
    assert names == sorted(names, key=spanish_sort_key)
    assert names[:2] == ["Amazonas", "Áncash"] and names[-1] == "Ucayali"


@pytest.mark.django_db
def test_people_are_ordered_by_name_in_spanish(seed):
    region = Region.objects.first()
    for name in ["Úrsula Quispe", "Ana Mamani", "Ñusta Huamán", "Nora Ccori"]:
        ServantFactory(full_name=name, region=region)
    rows = list(
        region.servants.filter(full_name__in=["Úrsula Quispe", "Ana Mamani", "Ñusta Huamán", "Nora Ccori"])
        .order_by(spanish_order("full_name"))
        .values_list("full_name", flat=True)
    )
    assert rows == ["Ana Mamani", "Nora Ccori", "Ñusta Huamán", "Úrsula Quispe"]
