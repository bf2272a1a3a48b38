"""An export of 100,000 attendance rows runs as a job on a real `celery worker` process, reports
its progress while it runs, and writes its file streaming: the worker child's peak memory grows
by a few megabytes, not by the size of the rows (which held in memory would take hundreds)."""

import csv
import datetime
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from capacity_plan.models import ActionSession, Attendance, PublicServant
from exports import services
from exports.lists import EXPORT_LISTS
from exports.models import ExportJob
from tests.factories import RegionFactory, TrainingActionFactory
from tests.workers import celery_worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SESSIONS = 100
SERVANTS = 1000  # 100 sessions × 1,000 servants = 100,000 attendance rows
MEMORY_GROWTH_LIMIT_KB = 60 * 1024


def children_of(pid: int) -> list[int]:
    result = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            result.append(int(stat.parent.name))
    return result


def peak_memory_kb(pid: int) -> int:
    """The process's peak resident size (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")


def attendance_rows(title, sessions, servants):
    region = RegionFactory(name="Cusco")
    action = TrainingActionFactory(title=title)
    session_rows = ActionSession.objects.bulk_create(
        ActionSession(
            action=action, date=datetime.date(2025, 4, 1) + datetime.timedelta(days=n % 60), duration_hours=Decimal("2")
        )
        for n in range(sessions)
    )
    servant_rows = PublicServant.objects.bulk_create(
        PublicServant(
            full_name=f"{title} servidora {n}",
            document_number=f"{n:08d}",
            region=region,
            identity_key=f"{title}-{n}",
        )
        for n in range(servants)
    )
    Attendance.objects.bulk_create(
        (
            Attendance(session=session, servant=servant, status=Attendance.Status.PRESENT)
            for session in session_rows
            for servant in servant_rows
        ),
        batch_size=5000,
    )


def run_job(user, query, file_format):
    """Ask for the export (the worker takes it when this commits) and wait for it to end,
    noting the progress it reports on the way."""
    job = services.export_request(
        export_list=EXPORT_LISTS["asistencia"],
        file_format=file_format,
        filters=query,
        by=user,
        request_key=uuid.uuid4(),
    )
    seen = set()

    def ended():
        job.refresh_from_db()
        seen.add(job.rows_done)
        return not job.is_pending

    wait_until(ended, 120, f"export job {job.pk}", interval=0.2)
    return job, seen


def test_a_100000_row_attendance_export_runs_on_a_worker_with_bounded_memory(make_user, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 5000
    attendance_rows("Diplomado", SESSIONS, SERVANTS)
    attendance_rows("Charla", 1, 3)
    odes = make_user("odes")

    with celery_worker(name="exporttest") as worker:
        # A small export first, so the child has imported everything an export uses.
        warm, _seen = run_job(odes, {"q": ["Charla"]}, "csv")
        assert warm.status == ExportJob.Status.DONE, warm.error
        child = wait_until(lambda: children_of(worker.pid), 10, "the pool child")[0]
        before = peak_memory_kb(child)

        started = time.monotonic()
        job, seen = run_job(odes, {"q": ["Diplomado"]}, "csv")
        elapsed = time.monotonic() - started
        assert job.status == ExportJob.Status.DONE, job.error
        assert children_of(worker.pid) == [child], "the same child ran it (not replaced for its memory)"
        growth = peak_memory_kb(child) - before

    assert job.rows_total == job.rows_done == SESSIONS * SERVANTS
    assert any(0 < done < job.rows_total for done in seen), f"progress reported on the way: {sorted(seen)}"
    assert growth < MEMORY_GROWTH_LIMIT_KB, f"peak memory grew by {growth} KiB"
    with job.file.open("rb") as handle:
        lines = handle.read().decode("utf-8-sig").splitlines()
    assert len(lines) == SESSIONS * SERVANTS + 1
    first = next(csv.reader(lines[1:2]))
    assert first[1] == "Diplomado" and first[8] == "Presente"
    print(f"100,000 rows exported in {elapsed:.1f} s; peak memory +{growth} KiB")
