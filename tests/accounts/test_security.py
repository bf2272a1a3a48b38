"""Sign-in throttling, security headers and the content-security policy."""

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.security import client_ip
from tests.factories import TEST_PASSWORD

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def user(make_user):
    return make_user("oea")


def sign_in(client, username, password, address="10.0.0.7", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


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


def test_failures_for_one_name_from_many_addresses_lock_that_name(client, user, settings):
    """Guessing spread over addresses (or over forged X-Forwarded-For headers from a client that
    reaches gunicorn directly) still locks the user name out, from every address."""
    settings.TRUSTED_PROXY_COUNT = 1
    limit = settings.SIGN_IN_FAILURE_LIMITS[("username",)]
    for attempt in range(limit - 1):
        response = sign_in(client, user.username, "equivocada", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
        assert response.status_code == 200, attempt
    assert sign_in(client, user.username, "equivocada", HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429

    locked = sign_in(client.__class__(), user.username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    assert "Acceso bloqueado temporalmente" in locked.content.decode()
    # Other users are not affected, from any of those addresses.
    other = sign_in(client.__class__(), make_other_user().username, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert other.status_code == 302


def make_other_user():
    from tests.factories import ROLE_FACTORIES

    return ROLE_FACTORIES["focal"]()


def test_failures_from_one_address_over_many_names_lock_that_address(client, user, settings):
    """Password spraying: one address trying one password on many names is locked out, for
    every name, while other addresses sign in."""
    limit = settings.SIGN_IN_FAILURE_LIMITS[("ip_address",)]
    for attempt in range(limit - 1):
        assert sign_in(client, f"nombre{attempt}", "Peru2025!", address="10.0.0.9").status_code == 200, attempt
    assert sign_in(client, "nombre-final", "Peru2025!", address="10.0.0.9").status_code == 429

    assert sign_in(client.__class__(), user.username, TEST_PASSWORD, address="10.0.0.9").status_code == 429
    assert sign_in(client.__class__(), user.username, TEST_PASSWORD, address="10.0.0.10").status_code == 302


def test_a_successful_sign_in_forgives_only_that_name_from_that_address(client, user, settings):
    """An attacker with an account of their own cannot reset the count of their address by
    signing in between rounds of spraying."""
    limit = settings.SIGN_IN_FAILURE_LIMITS[("ip_address",)]
    for attempt in range(limit - 2):
        sign_in(client, f"nombre{attempt}", "Peru2025!", address="10.0.0.9")
    assert sign_in(client, user.username, TEST_PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()
    assert sign_in(client, "nombre-otro", "Peru2025!", address="10.0.0.9").status_code == 200
    assert sign_in(client, "nombre-mas", "Peru2025!", address="10.0.0.9").status_code == 429


def test_separate_limits_are_stricter_for_one_name_from_one_address(settings):
    limits = settings.SIGN_IN_FAILURE_LIMITS
    assert set(limits) == {("username", "ip_address"), ("username",), ("ip_address",)}
    assert limits[("username", "ip_address")] == settings.AXES_FAILURE_LIMIT == 5
    assert limits[("username", "ip_address")] < limits[("username",)] < limits[("ip_address",)]


def forwarded_request(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/cuenta/entrar/", REMOTE_ADDR=remote_addr, **headers)


def test_behind_one_proxy_the_client_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx as the README configures it overwrites the header with the address it saw, so what
    # the client sent does not reach the app at all.
    assert client_ip(forwarded_request("172.18.0.1", "203.0.113.5")) == "203.0.113.5"
    # A proxy that appends instead: the forged part is on the left and is ignored.
    assert client_ip(forwarded_request("172.18.0.1", "10.9.9.9, 203.0.113.5")) == "203.0.113.5"
    # No header (a request that did not come through the proxy): the socket's address.
    assert client_ip(forwarded_request("172.18.0.1")) == "172.18.0.1"


def test_a_malformed_forwarded_address_falls_back_to_the_socket_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded_request("172.18.0.1", "not-an-address")) == "172.18.0.1"
    assert client_ip(forwarded_request("172.18.0.1", "x" * 500)) == "172.18.0.1"
    assert client_ip(forwarded_request("172.18.0.1", "2001:db8::7")) == "2001:db8::7"


def test_a_malformed_forwarded_header_does_not_break_sign_in(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = sign_in(client, user.username, "equivocada", HTTP_X_FORWARDED_FOR="<script>, ;DROP")
    assert response.status_code == 200


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
