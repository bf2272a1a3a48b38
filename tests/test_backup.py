"""The backup and restore procedure of the README, for real: pg_dump --format=custom of the
(committed) test database, pg_restore into a new empty database, a second restore over it with
--clean --if-exists, and the data found there equal to the source; then a tar of MEDIA_ROOT
unpacked elsewhere, every stored document found with the SHA-256 the restored database records."""

import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from psycopg import sql

from capacity_plan.models import Attendance
from capacity_plan.services import attendance_record
from cooperations.models import Cooperation, DeliverableVersion, Question
from tests.capacity_plan.conftest import pfc  # noqa: F401  (fixture)
from tests.cooperations.conftest import world  # noqa: F401  (fixture)

# Committed data, so that pg_dump (another session) sees it; the database is emptied and its
# migration data put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def postgres_tool(name: str) -> str:
    """The client binary of the server's own major version (pg_dump refuses a newer server,
    pg_restore an archive from a newer pg_dump); the one on PATH as a fallback."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    path = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} (PostgreSQL {major}) is not installed"
    return found


def run(*command: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def table_counts(conn) -> dict[str, int]:
    tables = [
        name
        for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ]
    return {
        name: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name))).fetchone()[0]
        for name in tables
    }


def sequences(conn) -> dict[str, int | None]:
    return dict(conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"))


def one(conn, query: str, *params):
    return conn.execute(query, params).fetchone()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[Path, str]:
    return {path.relative_to(root): sha256_of(path) for path in root.rglob("*") if path.is_file()}


def test_a_custom_format_dump_and_a_media_tar_restore_everything(pfc, world, make_user, settings, tmp_path):  # noqa: F811
    # The seed data first (pfc loads it; world then reuses its countries), attendance marks (with
    # their history rows) on top of the plan, and the cooperations.
    statuses = ["present", "absent", "justified"]
    attendance_record(
        session=pfc.session,
        by=make_user("odes"),
        marks={servant.pk: statuses[n % 3] for n, servant in enumerate(pfc.servants)},
    )

    db = connection.settings_dict
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"], "password": db["PASSWORD"]}
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    target = [
        *(["--host", db["HOST"]] if db["HOST"] else []),
        *(["--port", str(db["PORT"])] if db["PORT"] else []),
        "--username",
        db["USER"],
    ]
    dump = tmp_path / "rial.dump"
    restored_name = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"

    # 1. Back up: the database, then the files (a file the dump refers to is older than the dump).
    run(postgres_tool("pg_dump"), "--format=custom", f"--file={dump}", *target, db["NAME"], env=env)
    media = Path(settings.MEDIA_ROOT)
    archive = tmp_path / "media.tar.gz"
    run("tar", "-czf", str(archive), "-C", str(media), ".", env=env)
    contents = run(postgres_tool("pg_restore"), "--list", str(dump), env=env).stdout  # the archive reads back
    assert f"TABLE DATA public {Cooperation._meta.db_table} " in contents

    with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(restored_name)))
        try:
            # 2. Restore into the new, empty database; then again over it, as when restoring
            #    over a database that is still there.
            run(
                postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                *target,
                f"--dbname={restored_name}",
                str(dump),
                env=env,
            )
            run(
                postgres_tool("pg_restore"),
                "--no-owner",
                "--clean",
                "--if-exists",
                "--exit-on-error",
                *target,
                f"--dbname={restored_name}",
                str(dump),
                env=env,
            )

            # 3. Verify: the same data, row for row where it matters, count for count everywhere.
            with (
                psycopg.connect(dbname=db["NAME"], **params) as source,
                psycopg.connect(dbname=restored_name, **params) as restored,
            ):
                source_counts = table_counts(source)
                assert source_counts == table_counts(restored)
                assert sequences(source) == sequences(restored)

                cooperation = Cooperation._meta.db_table
                assert one(
                    restored, f"SELECT id, short_name FROM {cooperation} WHERE title = %s", world.cooperation.title
                ) == (world.cooperation.pk, "Perú – Paraguay")
                assert one(
                    restored,
                    f"SELECT text, written_answer FROM {Question._meta.db_table} WHERE id = %s",
                    world.question.pk,
                ) == (world.question.text, "Respuesta")
                user = world.users["focal_requesting"]
                assert one(
                    restored,
                    f"SELECT username, password, email FROM {get_user_model()._meta.db_table} WHERE id = %s",
                    user.pk,
                ) == (user.username, user.password, user.email)

                attendance = Attendance._meta.db_table
                marks = (
                    f"SELECT status, count(*) FROM {attendance} WHERE session_id = %s GROUP BY status ORDER BY status"
                )
                assert restored.execute(marks, (pfc.session.pk,)).fetchall() == [
                    ("absent", 8),
                    ("justified", 8),
                    ("present", 9),
                ]
                history = Attendance.history.model._meta.db_table
                assert one(restored, f"SELECT count(*) FROM {history} WHERE session_id = %s", pfc.session.pk) == (25,)
                cooperation_history = Cooperation.history.model._meta.db_table
                assert one(restored, f"SELECT count(*) FROM {cooperation_history}") == (Cooperation.history.count(),)
                assert source_counts[cooperation_history] == Cooperation.history.count() > 0
                assert source_counts[attendance] == Attendance.objects.count() == 25

                versions = restored.execute(
                    f"SELECT file, sha256 FROM {DeliverableVersion._meta.db_table} ORDER BY id"
                ).fetchall()
                (attachment,) = one(
                    restored,
                    f"SELECT answer_attachment FROM {Question._meta.db_table} WHERE id = %s",
                    world.question.pk,
                )
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored_name)))
        assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (restored_name,)).fetchone() is None

    # 4. Put the files back elsewhere: every document the restored database names is there, intact.
    new_media = tmp_path / "restored-media"
    new_media.mkdir()
    run("tar", "-xzf", str(archive), "-C", str(new_media), env=env)
    assert versions and attachment
    for name, sha256 in versions:
        assert sha256_of(new_media / name) == sha256
    assert sha256_of(new_media / attachment) == sha256_of(media / attachment)
    assert tree(new_media) == tree(media)
