import os
import socket
from typing import Any

import pytest
import zeal
from celery.signals import task_postrun, task_prerun
from django.apps import apps
from django.db import connections
from django.test import Client
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from tests.factories import ROLE_FACTORIES
from tests.seed import SeedSnapshot

# Property-based tests (hypothesis). `make test` replays the same examples every run (a seed
# derived from each test), so main stays green or red for a reason found in the code, not by
# luck of the draw; `make fuzz` (profile "explore") draws new examples on every run, to look
# for new bugs. Loaded here, before the test modules build their settings on it.
hypothesis_settings.register_profile("suite", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


# Tests that touch the database (or say they need Redis) are marked "services": `make test-fast`
# runs the others (`-m "not services"`), which need neither PostgreSQL nor Redis.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def needs_services(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or item.get_closest_marker("services")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if needs_services(item) and not item.get_closest_marker("services"):
            item.add_marker(pytest.mark.services)


def pytest_collection_finish(session):
    services = os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
    if not services and any(needs_services(item) for item in session.items):
        pytest.exit(
            "These tests run against real PostgreSQL and Redis: run them with `make test` "
            "(or scripts/with-services.sh .venv/bin/pytest ...); `make test-fast` runs the ones that need neither.",
            returncode=2,
        )


def pytest_configure(config):
    if apps.is_installed("zeal"):
        # Celery tasks run in this process (eager .apply(), start_worker threads) are checked
        # for N+1 queries like requests are; dispatch_uid keeps one connection per session.
        task_prerun.connect(_zeal_task_start, dispatch_uid="tests.zeal.task_prerun")
        task_postrun.connect(_zeal_task_end, dispatch_uid="tests.zeal.task_postrun")


# --- N+1 query guard (django-zeal) ---------------------------------------------------------------
# The test settings (rial_site/settings/test.py) install zeal with its middleware, so every request a test
# makes raises zeal.NPlusOneError on an N+1 query, and pytest_configure above checks every Celery
# task run in this process the same way. Test bodies, fixtures and factories are not checked:
# building test data row by row, or calling the code under test once per row to compare results,
# is not what the guard is for. tests/test_nplusone_guard.py proves the guard is live.
_zeal_task_tokens: dict[
    str, list[Any]
] = {}  # task id -> stack of zeal tokens (an eager retry runs inside its first try)


def _zeal_task_start(task_id=None, **kwargs):
    _zeal_task_tokens.setdefault(task_id, []).append(zeal.setup())


def _zeal_task_end(task_id=None, **kwargs):
    tokens = _zeal_task_tokens.get(task_id)
    if tokens:
        zeal.teardown(tokens.pop())
        if not tokens:
            del _zeal_task_tokens[task_id]


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in getattr(item, "fixturenames", ()):
        return True
    return marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test empties the database when it ends (Django's flush); the data the
    migrations wrote (role groups…) is put back right after, so the next test finds it whatever
    the order. Django runs such tests last for this reason; parallel runs (pytest-xdist) cannot."""
    yield
    # After the last test the session's teardown has already dropped the test database.
    if nextitem is None or not _is_transactional(item):
        return
    with item.config.stash[blocking_manager_key].unblock():
        for alias in connections:
            serialized = getattr(connections[alias], "_test_serialized_contents", None)
            if serialized:
                connections[alias].creation.deserialize_db_from_string(serialized)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test's uploads and generated files in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


# --- The seed data ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker) -> SeedSnapshot:
    """What `load_seed_data` writes (the seed fixtures and their first history rows), loaded once
    per session and kept in memory; the database is left as it was."""
    with django_db_blocker.unblock():
        return SeedSnapshot.take()


@pytest.fixture
def seed(db, seed_snapshot):
    """The database as `load_seed_data` leaves it, in this test's transaction (rows inserted in
    bulk: the same rows, primary keys and history as loading the fixtures, a fraction of the time)."""
    seed_snapshot.restore()


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
