"""The embedded SQLite database under concurrent writes: WAL and IMMEDIATE transactions make a
second writer wait instead of failing, and a lock that outlasts the busy timeout gives a Spanish
503 page keeping what was typed, not a 500 that loses it."""

import html
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from cooperations.models import Question
from tests.factories import CooperationFactory, SpecificObjectiveFactory, focal_point_for
from tests.forms import with_key

ROOT = Path(__file__).resolve().parents[1]

PASTED = """1. ¿Cuál es el perfil del público objetivo del SOVIO?
2. ¿Cómo se articula con el "Ministerio" de Educación & otros?"""


@contextmanager
def database_locked_for_inserts():
    """What SQLite raises when a write waits longer than its busy timeout."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


@pytest.mark.django_db
def test_a_locked_database_returns_the_typed_data_with_a_spanish_message(client_for):
    cooperation = CooperationFactory()
    objective = SpecificObjectiveFactory(cooperation=cooperation)
    client = client_for(focal_point_for(cooperation.requesting_institution))
    url = reverse("cooperations:questions_submit", args=[cooperation.pk])
    data = with_key(objective=objective.pk, text=PASTED)

    with database_locked_for_inserts():
        response = client.post(url, data)

    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "La base de datos está ocupada; vuelva a intentarlo: no se guardó nada." in page
    assert f'<form method="post" action="{url}"' in page
    assert f'<input type="hidden" name="text" value="{html.escape(PASTED)}">' in page
    assert f'<input type="hidden" name="objective" value="{objective.pk}">' in page
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # a fresh token in the resubmit form
    assert not Question.objects.filter(cooperation=cooperation).exists()

    # "Enviar de nuevo" posts the same fields to the same view, which now saves them.
    again = client.post(url, data)
    assert again.status_code == 302
    assert Question.objects.filter(cooperation=cooperation).count() == 2


@pytest.mark.django_db
def test_passwords_are_not_written_back_into_the_page(client_for):
    client = client_for("oea")
    data = {"old_password": "secreto-viejo", "new_password1": "Nueva-clave-2025", "new_password2": "Nueva-clave-2025"}
    from django.contrib.auth.forms import PasswordChangeForm

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    original = PasswordChangeForm.is_valid
    PasswordChangeForm.is_valid = locked
    try:
        response = client.post(reverse("password_change"), data)
    finally:
        PasswordChangeForm.is_valid = original
    assert response.status_code == 503
    page = response.content.decode()
    assert "secreto-viejo" not in page and "Nueva-clave-2025" not in page


@pytest.mark.django_db
def test_other_database_errors_are_not_hidden(client_for):
    client = client_for("oea")
    from django.contrib.auth.forms import PasswordChangeForm

    def broken(*args, **kwargs):
        raise OperationalError("no such table: auth_user")

    original = PasswordChangeForm.is_valid
    PasswordChangeForm.is_valid = broken
    try:
        with pytest.raises(OperationalError):
            client.post(reverse("password_change"), {"old_password": "x"})
    finally:
        PasswordChangeForm.is_valid = original


# Run in a fresh interpreter: the settings build DATABASES from DATABASE_URL at import, and this
# process uses PostgreSQL. Two threads (two connections) each read a counter, pause, and write
# it back inside a transaction, as two parallel saves do.
TWO_WRITERS = r"""
import json, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA synchronous")
    synchronous = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout = cursor.fetchone()[0]
connection.close()

errors = []
start = threading.Barrier(2)

def save():
    try:
        start.wait()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                n = cursor.fetchone()[0]
                time.sleep(0.3)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=save) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    final = cursor.fetchone()[0]
print(json.dumps({"journal_mode": journal_mode, "synchronous": synchronous, "busy_timeout": busy_timeout,
                  "errors": errors, "n": final}))
"""


def test_two_parallel_saves_on_the_embedded_sqlite_both_land(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECRET_KEY", "DEBUG"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_SETTINGS_MODULE="rial_site.settings")
    result = subprocess.run(
        [sys.executable, "-c", TWO_WRITERS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["journal_mode"] == "wal"
    assert outcome["synchronous"] == 1  # NORMAL: safe with WAL, no fsync on every commit
    assert outcome["busy_timeout"] >= 5000
    assert outcome["errors"] == []  # without IMMEDIATE the second writer gets "database is locked"
    assert outcome["n"] == 2  # and neither save is lost
