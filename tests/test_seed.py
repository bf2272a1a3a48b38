"""The tests' seed data (tests/seed.py, loaded once per session) is what `load_seed_data` writes."""

import pytest
from django.core import management
from django.db import transaction

from tests.seed import _stored_models

pytestmark = pytest.mark.django_db

# Set when the rows are written: populate_history stamps each history row with the time, and the
# rows of a many-to-many table get the next ids of its sequence.
WRITTEN_AT = {"history_date", "history_id"}


def table_contents() -> dict:
    contents = {}
    for model in _stored_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname not in WRITTEN_AT and not (model._meta.auto_created and field.primary_key)
        ]
        rows = sorted(map(repr, model._base_manager.values_list(*fields)))
        if rows:
            contents[model._meta.label] = rows
    return contents


def test_the_snapshot_writes_what_load_seed_data_writes(seed_snapshot):
    empty = table_contents()
    with transaction.atomic():
        seed_snapshot.restore()
        restored = table_contents()
        transaction.set_rollback(True)
    with transaction.atomic():
        management.call_command("load_seed_data", verbosity=0)
        loaded = table_contents()
        transaction.set_rollback(True)
    assert restored == loaded
    assert len(restored) > len(empty) + 10  # the seed reaches many tables
    history = [label for label in restored if ".Historical" in label]
    assert history, "the seed rows have their first history rows"
