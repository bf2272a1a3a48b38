"""Previews of imports expire, and a beat job deletes the expired ones with their files."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from capacity_plan.imports import PREVIEW_LIFETIME, ImportKind, ImportPreview, import_previews_delete_expired
from capacity_plan.imports.previews import import_preview_create
from capacity_plan.tasks import delete_expired_import_previews
from rial_site.celery import app as celery_app
from tests.workers import solo_worker

NOW = timezone.make_aware(datetime.datetime(2025, 6, 10, 12, 0))


def stash(user, *, at, name="registro.csv"):
    return import_preview_create(
        kind=ImportKind.PARTICIPANTS,
        target=None,
        uploaded=SimpleUploadedFile(name, b"Nombres y apellidos,Region\nAna,Cusco\n"),
        by=user,
        now=at,
    )


def stray(name, *, modified):
    saved = default_storage.save(f"private/imports/{name}", ContentFile(b"x"))
    os.utime(default_storage.path(saved), (modified.timestamp(), modified.timestamp()))
    return saved


@pytest.mark.django_db
def test_expired_previews_are_deleted_with_their_files_and_the_others_kept(make_user):
    user = make_user("odes")
    expired = stash(user, at=NOW - PREVIEW_LIFETIME - datetime.timedelta(minutes=1))
    just_expired = stash(user, at=NOW - PREVIEW_LIFETIME, name="respuestas.xlsx")
    alive = stash(user, at=NOW - datetime.timedelta(hours=1))
    assert all(default_storage.exists(preview.file.name) for preview in (expired, just_expired, alive))

    assert import_previews_delete_expired(now=NOW) == 2

    assert list(ImportPreview.objects.all()) == [alive]
    assert not default_storage.exists(expired.file.name) and not default_storage.exists(just_expired.file.name)
    assert default_storage.exists(alive.file.name)


@pytest.mark.django_db
def test_stray_files_no_preview_holds_are_deleted_once_older_than_a_preview_lives(make_user):
    # Files stashed before previews were rows (or left by a crash between file and row).
    old = stray("0123456789abcdef0123456789abcdef.csv", modified=NOW - PREVIEW_LIFETIME - datetime.timedelta(hours=1))
    recent = stray("fedcba9876543210fedcba9876543210.xlsx", modified=NOW - datetime.timedelta(minutes=5))
    held = stash(make_user("odes"), at=NOW - datetime.timedelta(hours=1))
    os.utime(default_storage.path(held.file.name), (0, 0))  # an old file, but its preview is alive

    assert import_previews_delete_expired(now=NOW) == 0

    assert not default_storage.exists(old)
    assert default_storage.exists(recent) and default_storage.exists(held.file.name)


@pytest.mark.django_db
def test_the_cleanup_does_nothing_when_nothing_was_ever_previewed():
    assert import_previews_delete_expired(now=NOW) == 0


def test_the_beat_schedule_runs_the_cleanup_task_every_day():
    entry = celery_app.conf.beat_schedule["delete-expired-import-previews"]
    celery_app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    assert entry["task"] == delete_expired_import_previews.name
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {30}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cleanup_task_runs_on_a_real_worker(make_user):
    user = make_user("odes")
    expired = stash(user, at=timezone.now() - PREVIEW_LIFETIME - datetime.timedelta(minutes=1))
    alive = stash(user, at=timezone.now())
    with solo_worker(queues=["celery"], shutdown_timeout=10):
        assert delete_expired_import_previews.delay().get(timeout=20) == 1
    assert list(ImportPreview.objects.all()) == [alive]
    assert not default_storage.exists(expired.file.name) and default_storage.exists(alive.file.name)
