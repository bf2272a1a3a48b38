"""Sign-in throttling, security headers and the content-security policy."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def user(make_user):
    return make_user("oea")


def sign_in(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failed_sign_ins_lock_the_account_from_that_address_with_a_spanish_message(client, user):
    for _attempt in range(4):
        response = sign_in(client, user.username, "equivocada")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert sign_in(client, user.username, "equivocada").status_code == 429  # the fifth
    locked = sign_in(client, user.username, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "Acceso bloqueado temporalmente" in locked.content.decode()
    assert "15 minutos" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    # Another address is not locked out, and the lock ends when the attempts are reset
    # (by the cool-off time, or by an administrator with `manage.py axes_reset`).
    other = sign_in(client.__class__(), user.username, TEST_PASSWORD, address="10.0.0.8")
    assert other.status_code == 302
    from django.core.management import call_command

    call_command("axes_reset", verbosity=0)
    assert sign_in(client, user.username, TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, user):
    for _attempt in range(4):
        sign_in(client, user.username, "equivocada")
    assert sign_in(client, user.username, TEST_PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        sign_in(client, user.username, "equivocada")
    assert sign_in(client, user.username, TEST_PASSWORD).status_code == 302


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for):
    response = client_for("oea").get(reverse("cooperations:list"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{template.relative_to(TEMPLATES)}: {match.group(0)}")
        if re.search(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(TEMPLATES)}: event handler attribute")
    assert not offenders


def test_htmx_is_configured_for_the_policy(client_for):
    page = client_for("oea").get(reverse("home")).content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page


def test_sign_in_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True
