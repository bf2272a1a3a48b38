import os
import socket

import pytest
import zeal
from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import ROLE_FACTORIES

# Property-based tests (hypothesis). `make test` replays the same examples every run (a seed
# derived from each test), so main stays green or red for a reason found in the code, not by
# luck of the draw; `make fuzz` (profile "explore") draws new examples on every run, to look
# for new bugs. Loaded here, before the test modules build their settings on it.
hypothesis_settings.register_profile("suite", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_configure(config):
    if not os.environ.get("DATABASE_URL", "").startswith("postgres") or not os.environ.get("REDIS_URL"):
        pytest.exit(
            "The suite runs against real PostgreSQL and Redis: run it with `make test` "
            "(or scripts/with-services.sh .venv/bin/pytest ...).",
            returncode=2,
        )
    if apps.is_installed("zeal"):
        # Celery tasks run in this process (eager .apply(), start_worker threads) are checked
        # for N+1 queries like requests are; dispatch_uid keeps one connection per session.
        task_prerun.connect(_zeal_task_start, dispatch_uid="tests.zeal.task_prerun")
        task_postrun.connect(_zeal_task_end, dispatch_uid="tests.zeal.task_postrun")


# --- N+1 query guard (django-zeal) ---------------------------------------------------------------
# Under pytest the settings install zeal (ZEAL_ENABLED) with its middleware, so every request a test
# makes raises zeal.NPlusOneError on an N+1 query, and pytest_configure above checks every Celery
# task run in this process the same way. Test bodies, fixtures and factories are not checked:
# building test data row by row, or calling the code under test once per row to compare results,
# is not what the guard is for. tests/test_nplusone_guard.py proves the guard is live.
_zeal_task_tokens = {}  # task id -> stack of zeal tokens (an eager retry runs inside its first try)


def _zeal_task_start(task_id=None, **kwargs):
    _zeal_task_tokens.setdefault(task_id, []).append(zeal.setup())


def _zeal_task_end(task_id=None, **kwargs):
    tokens = _zeal_task_tokens.get(task_id)
    if tokens:
        zeal.teardown(tokens.pop())
        if not tokens:
            del _zeal_task_tokens[task_id]


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
