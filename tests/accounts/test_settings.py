import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x9Qm2Lp7Vt4Rz8Wn1Ys6Bc5Hd0Jf3Gk" * 2


def run_manage(*args, **env_overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG"))}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_development_secret_key():
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY="django-insecure-" + "a" * 50, ALLOWED_HOSTS="rial.example.org"
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_production_refuses_debug_on():
    result = run_manage(
        "check", DJANGO_ENV="production", SECRET_KEY=STRONG_KEY, DEBUG="true", ALLOWED_HOSTS="rial.example.org"
    )
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="rial.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.django_db
def test_makemigrations_is_clean():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
