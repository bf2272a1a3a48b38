import pytest
from django.core import management
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client_for):
    management.call_command("load_seed_data", verbosity=0)
    return client_for("oea")


def listed(client, **params):
    response = client.get(reverse("cooperations:list"), params)
    assert response.status_code == 200
    return [cooperation.pk for cooperation in response.context["page"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [2, 4, 1, 3]),
        ({"call": 15}, [1]),
        ({"year": 2023}, [4]),
        ({"country": 5}, [4]),  # Ecuador, as requesting country
        ({"country": 2}, [1]),  # Paraguay, as providing country
        ({"institution": 1}, [2, 1, 3]),  # MTPE
        ({"status": "closed"}, [1]),
        ({"topic": "empleo"}, [2, 4]),
        ({"q": "SOVIO"}, [2]),
        ({"q": "sindical Chile"}, [3]),
        ({"q": "STPS"}, [4]),
    ],
)
def test_staff_filter_the_list(staff, params, expected):
    assert listed(staff, **params) == expected


def test_a_bad_filter_value_shows_the_error_and_the_full_list(staff):
    response = staff.get(reverse("cooperations:list"), {"year": "dos mil"})
    assert "Introduzca un número." in response.content.decode()
    assert len(response.context["page"]) == 4


def test_a_search_of_ten_words_is_accepted(staff):
    assert listed(staff, q="sindical Chile " + " ".join(["Chile"] * 8)) == [3]


@pytest.mark.parametrize(
    ("search", "message"),
    [
        (" ".join(f"palabra{number}" for number in range(1200)), "Busque con 10 palabras como máximo (escribió 1200)."),
        ("uno dos tres cuatro cinco seis siete ocho nueve diez once", "como máximo (escribió 11)."),
        ("x" * 201, "Busque con 200 caracteres como máximo (escribió 201)."),
    ],
)
def test_a_search_too_long_is_refused_in_spanish_and_filters_nothing(staff, search, message):
    response = staff.get(reverse("cooperations:list"), {"q": search})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["page"]) == 4


def test_a_topic_too_long_is_refused_in_spanish(staff):
    response = staff.get(reverse("cooperations:list"), {"topic": "empleo" * 40})
    assert "Busque con 200 caracteres como máximo" in response.content.decode()
    assert len(response.context["page"]) == 4


def test_the_list_is_paginated(client_for):
    from tests.factories import CooperationFactory

    CooperationFactory.create_batch(25)
    client = client_for("manager")
    assert len(listed(client)) == 20
    assert len(listed(client, page=2)) == 5
    assert "Página 1 de 2" in client.get(reverse("cooperations:list")).content.decode()
