"""The deployment files keep gunicorn behind the proxy, and the README's nginx block is safe.
There is no Docker engine or nginx here: these tests read the files."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
README = (ROOT / "README.md").read_text()


def nginx_blocks() -> list[str]:
    return re.findall(r"```nginx\n(.*?)```", README, flags=re.DOTALL)


def test_gunicorn_is_published_on_loopback_only():
    """TRUSTED_PROXY_COUNT=1 believes X-Forwarded-For: a client reaching gunicorn directly could
    write its own address there. No service is published on all interfaces."""
    for name, service in COMPOSE["services"].items():
        for mapping in service.get("ports", []):
            text = str(mapping)
            assert text.startswith(("127.0.0.1:", "[::1]:")), f"{name} publishes {text} on every interface"
    assert COMPOSE["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_compose_health_check_probes_loopback():
    test = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in test


def test_the_readme_nginx_overwrites_the_forwarded_headers():
    blocks = nginx_blocks()
    assert blocks, "the README shows the nginx configuration"
    config = "\n".join(blocks)
    assert "$proxy_add_x_forwarded_for" not in config, "appending keeps what the client sent"
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header Host $host;" in config
    assert "proxy_pass http://127.0.0.1:8000;" in config
    assert "internal;" in config  # the X-Accel-Redirect location


def test_the_readme_says_why_the_three_go_together():
    section = README.split("### The reverse proxy (nginx) and the client address", 1)[1].split("\n## ", 1)[0]
    for needed in ("127.0.0.1:8000:8000", "$remote_addr", "TRUSTED_PROXY_COUNT=1", "axes_reset"):
        assert needed in section
