import os
import socket

import pytest
from django.test import Client

from tests.factories import ROLE_FACTORIES


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        pytest.exit(
            "The suite runs against real PostgreSQL and Redis: run it with `make test` "
            "(or scripts/with-services.sh .venv/bin/pytest ...).",
            returncode=2,
        )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashes passwords with PBKDF2 on purpose slowly; tests make many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    """make_user("oea") -> a saved user with that role ("oea", "focal", "odes", "manager", "admin")."""

    def make(role: str, **kwargs):
        return ROLE_FACTORIES[role](**kwargs)

    return make


@pytest.fixture
def client_for(make_user):
    """client_for("manager") -> a test client signed in as a new user with that role."""

    def make(role_or_user, **kwargs):
        user = make_user(role_or_user, **kwargs) if isinstance(role_or_user, str) else role_or_user
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return make


@pytest.fixture
def free_port():
    """A loopback TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
