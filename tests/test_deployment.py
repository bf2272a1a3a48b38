"""There is no Docker engine here: these tests read the deployment files instead."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
ENV_EXAMPLE = dict(
    line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if line and not line.startswith("#")
)
SETTINGS_SOURCE = (ROOT / "rial_site" / "settings" / "__init__.py").read_text()
APP_SERVICES = ("web", "worker", "worker-pdf", "beat")


def test_compose_describes_the_production_topology():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker", "worker-pdf", "beat", "db", "redis"}
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    pdf_worker = services["worker-pdf"]["command"]
    assert "--queues=pdf" in pdf_worker and "--prefetch-multiplier=1" in pdf_worker
    assert "--max-memory-per-child=" in pdf_worker
    assert "beat" in services["beat"]["command"]


def test_every_service_has_a_health_check_and_app_services_wait_for_healthy_backends():
    for name, service in COMPOSE["services"].items():
        assert "healthcheck" in service, name
    for name in APP_SERVICES:
        service = COMPOSE["services"][name]
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }
        assert service["env_file"] == ".env"
    assert "/healthz" in " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])


def test_database_and_media_live_on_named_volumes():
    assert {"postgres-data", "media"} <= set(COMPOSE["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]
    media_path = ENV_EXAMPLE["MEDIA_ROOT"]
    for name in APP_SERVICES:
        assert f"media:{media_path}" in COMPOSE["services"][name]["volumes"]


def test_env_example_names_every_variable_the_settings_read():
    read_by_settings = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    missing = (
        read_by_settings
        - set(ENV_EXAMPLE)
        - {
            "CONN_MAX_AGE",
            "LOG_LEVEL",
            "STATIC_ROOT",
            "SESSION_COOKIE_AGE",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "CELERY_TASK_ALWAYS_EAGER",
            "CELERY_WORKER_MAX_MEMORY_PER_CHILD",
        }
    )
    assert not missing, f".env.example lacks {sorted(missing)}"
    assert ENV_EXAMPLE["DJANGO_ENV"] == "production"
    assert ENV_EXAMPLE["SECRET_KEY"] == "", "no secret in the repository"
    assert ENV_EXAMPLE["DATABASE_URL"].startswith("postgres://")
    assert ENV_EXAMPLE["CELERY_BROKER_URL"].startswith("redis://redis:")


def test_the_image_runs_gunicorn_in_production_mode():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_ENV=production" in dockerfile
    assert "requirements.lock" in dockerfile
    assert 'CMD ["gunicorn"' in dockerfile
