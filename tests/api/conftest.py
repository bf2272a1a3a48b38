import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import token_create
from tests.capacity_plan.conftest import pfc  # noqa: F401  (fixture: the seed plan with a workshop)
from tests.cooperations.conftest import world  # noqa: F401  (fixture: two cooperations, one user per role)


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    """Each test starts with no request counted against any token (the default cache)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_of(db):
    """token_of(user) -> a new personal token's secret for that user."""

    def make(user, days: int = 30, name: str = "pruebas") -> str:
        return token_create(user=user, name=name, days=days).secret

    return make


@pytest.fixture
def api_as(token_of):
    """api_as(user) -> a DRF test client that sends a new token of that user."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_of(user)}")
        return client

    return make
