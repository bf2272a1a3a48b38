"""The heartbeat of a background job: while a worker runs it, a thread of that process writes the
time into the job's `heartbeat_at` every few seconds, so a sweep can tell a live job from one
whose worker died (report jobs and import jobs)."""

import datetime
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)


@contextmanager
def heartbeat(running: QuerySet, *, interval: datetime.timedelta, name: str) -> Iterator[None]:
    """While the body runs, set `heartbeat_at` on `running` (the job's row, filtered to its
    running state) every `interval`, from a thread with its own database connection. A beat that
    cannot be written is only logged: the next one tries again."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval.total_seconds()):
                try:
                    running.update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("%s: could not record its heartbeat", name, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"{name}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
