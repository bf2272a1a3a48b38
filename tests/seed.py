"""The seed data (`manage.py load_seed_data`) for tests, loaded once per session.

Loading the fixtures (JSON parsing, one raw save per row, then `populate_history`) takes most of a
second; many tests start from the seed. `SeedSnapshot.take()` runs the real command once, in a
transaction it rolls back, and keeps every row it wrote (every model, history and many-to-many
tables included); `restore()` writes those rows again, one INSERT per table, with their primary
keys and raw field values, as loaddata does. Foreign keys are checked at commit on PostgreSQL
(Django's constraints are deferred), so the order of the tables does not matter.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.core import management
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

BATCH = 500


def _stored_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def _reset_sequences(models) -> None:
    """Next ids after the highest stored one (as loaddata leaves them)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            cursor.execute("\n".join(statements))


@dataclass
class SeedSnapshot:
    rows: list[tuple[type[Model], list[Model]]]

    @classmethod
    def take(cls) -> SeedSnapshot:
        models = _stored_models()
        before = {model: set(model._base_manager.values_list("pk", flat=True)) for model in models}
        with transaction.atomic():
            management.call_command("load_seed_data", verbosity=0)
            rows = []
            for model in models:
                new = [row for row in model._base_manager.order_by("pk") if row.pk not in before[model]]
                if new:
                    rows.append((model, new))
            transaction.set_rollback(True)
        _reset_sequences(models)  # the rollback leaves the sequences where loading took them
        return cls(rows)

    def restore(self) -> None:
        with transaction.atomic():
            for model, rows in self.rows:
                fields = model._meta.local_concrete_fields
                for start in range(0, len(rows), BATCH):
                    model._base_manager._insert(rows[start : start + BATCH], fields=fields, raw=True)  # type: ignore[attr-defined]
            _reset_sequences([model for model, _rows in self.rows])


@contextmanager
def shared_transaction(django_db_blocker):
    """An outer transaction for the rows a whole module (or session) shares: each test's own
    transaction (pytest-django's `db`) becomes a savepoint inside it, so a test's changes are rolled
    back while the shared rows stay; the shared rows are rolled back at the end. Only for tests
    without `transaction=True` (those commit, and would flush the shared rows)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as Django's TestCase marks its own: durable blocks may run inside
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
