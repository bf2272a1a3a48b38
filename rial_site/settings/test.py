"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE, see pyproject.toml).

The application's settings, plus what only tests want: the N+1 query guard (django-zeal) on and
raising, a fast password hasher, a fixed secret key (never the checkout's var/secret_key) and, when
no services are given (`make test-fast`), an in-memory database and Celery broker. `make test`
gives real PostgreSQL and Redis through DATABASE_URL, REDIS_URL and CELERY_* (scripts/with-services.sh).
"""

import os

from rial_site.settings import *  # noqa: F403
from rial_site.settings import INSTALLED_APPS, MIDDLEWARE, env

SECRET_KEY = "test-only-" + "k7Vq2Lp9Xs4Rt8Wm1Yn6Bc3Hd5Jf0Gz" * 2

# Production hashes passwords with PBKDF2, slowly on purpose; tests make many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Without services (the pure tests of `make test-fast`): nothing on disk, nothing listening.
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="cache+memory://")
if not CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
EMBEDDED_CELERY_FOLDERS = []

# N+1 queries: every request a test makes raises zeal.NPlusOneError on a relation loaded row by
# row (tests/conftest.py checks Celery tasks run in the test process the same way).
ZEAL_ENABLED = True
if "zeal" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]
    # First, so the other middleware is checked too.
    MIDDLEWARE = ["zeal.middleware.zeal_middleware", *MIDDLEWARE]
ZEAL_RAISE = True

# Parallel runs (pytest-xdist, `make test` uses two processes): each test process, and the Celery
# workers its tests start (they inherit the environment), gets Redis databases of its own, so one
# process's worker never takes another's tasks. The databases are per process already
# (pytest-django names them test_<name>_gw0, …). Celery reads CELERY_BROKER_URL and
# CELERY_RESULT_BACKEND from the environment before settings, so the environment is changed too,
# once per test process (a worker started by a test inherits the changed values).
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker and CELERY_BROKER_URL.startswith("redis") and not os.environ.get("RIAL_XDIST_REDIS"):
    _offset = 3 * (int(_xdist_worker.removeprefix("gw")) + 1)

    def _own_database(url: str) -> str:
        base, _slash, number = url.rpartition("/")
        return f"{base}/{int(number or 0) + _offset}"

    os.environ["CELERY_BROKER_URL"] = _own_database(CELERY_BROKER_URL)
    os.environ["CELERY_RESULT_BACKEND"] = _own_database(CELERY_RESULT_BACKEND)
    os.environ["RIAL_XDIST_REDIS"] = _xdist_worker
if os.environ.get("RIAL_XDIST_REDIS"):
    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    CELERY_RESULT_BACKEND = os.environ["CELERY_RESULT_BACKEND"]
