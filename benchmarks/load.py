"""`make load`: 50 concurrent users for 60 s against gunicorn (2 sync workers) on PostgreSQL.

1. Migrates the throw-away database it is given, loads the seed data and creates the accounts:
   25 MTPE focal points and 25 ODES specialists, each specialist with a workshop session of 30
   servants to mark.
2. Starts gunicorn as in production (DEBUG off, persistent connections) and locust, headless
   (benchmarks/locustfile.py): the focal points read the cooperation list and the Peru–Panama
   record and send questions; the specialists read the actions and save attendance grids.
3. Checks every acknowledged write against the database: each question sent is stored exactly
   once, and each session's marks are those of the last grid its specialist saved.

Prints p50/p95/p99 per request type and a last machine-readable line
`LOAD requests=… failures=… p95_ms=… lost_writes=…`; exits 1 on any failed request or lost write.
Run: scripts/with-services.sh .venv/bin/python benchmarks/load.py [--users 50] [--seconds 60]
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rial_site.settings")
os.environ["ZEAL_ENABLED"] = "false"
BIN = Path(sys.executable).parent
PASSWORD = "carga-" + os.urandom(6).hex()


def setup_django():
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The load run writes to the database: run it with `make load` (throw-away PostgreSQL).")
    django.setup()


def build(users: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core import management

    from accounts.roles import FOCAL_POINT, ODES_SPECIALIST
    from capacity_plan.models import ActionSession, Milestone, OrganisationalUnit, PublicServant, Region, TrainingAction
    from cooperations.models import Cooperation, FocalPoint, Institution, SpecificObjective

    management.call_command("migrate", verbosity=0)
    management.call_command("load_seed_data", verbosity=0)
    User = get_user_model()
    password_hash = make_password(PASSWORD)  # hashed once: the accounts differ by name only
    mtpe = Institution.objects.get(acronym="MTPE")
    cooperation = Cooperation.objects.get(short_name="Perú – Panamá: orientación vocacional")
    objective = SpecificObjective.objects.filter(cooperation=cooperation).order_by("order")[0]
    cusco = Region.objects.get(name="Cusco")
    PublicServant.objects.bulk_create(
        [
            PublicServant(
                full_name=f"Servidor de carga {n:02d}",
                document_number=f"7{n:07d}",
                region=cusco,
                identity_key=PublicServant.make_identity_key(
                    document_number=f"7{n:07d}", email="", full_name=f"Servidor de carga {n:02d}", region_id=cusco.pk
                ),
            )
            for n in range(30)
        ]
    )
    focal_group, odes_group = Group.objects.get(name=FOCAL_POINT), Group.objects.get(name=ODES_SPECIALIST)
    plan: dict[str, Any] = {
        "password": PASSWORD,
        "cooperation": cooperation.pk,
        "objective": objective.pk,
        "focal": [],
        "odes": [],
    }
    half = max(1, users // 2)
    for n in range(half):
        user = User.objects.create(username=f"carga-focal-{n}", password=password_hash)
        user.groups.add(focal_group)
        FocalPoint.objects.create(user=user, institution=mtpe)
        plan["focal"].append({"username": user.username})
    unit = OrganisationalUnit.objects.get(acronym="ODES")
    hito4 = Milestone.objects.get(number=4)
    for n in range(users - half):
        user = User.objects.create(username=f"carga-odes-{n}", password=password_hash)
        user.groups.add(odes_group)
        action = TrainingAction.objects.create(
            kind=TrainingAction.Kind.WORKSHOP,
            title=f"Taller de carga {n}",
            organisational_unit=unit,
            milestone=hito4,
            hours=Decimal("4"),
            planned_start=date(2025, 4, 10),
        )
        action.target_regions.add(cusco)
        session = ActionSession.objects.create(action=action, date=date(2025, 4, 10), duration_hours=Decimal("4"))
        plan["odes"].append({"username": user.username, "action": action.pk, "session": session.pk})
    return plan


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {url}")


def verify(plan: dict, record: dict) -> list[str]:
    from capacity_plan.models import Attendance
    from cooperations.models import Question

    lost = []
    texts = list(
        Question.objects.filter(cooperation_id=plan["cooperation"], text__contains="el resultado ").values_list(
            "text", flat=True
        )
    )
    for marker in record["questions"]:
        found = sum(marker in text for text in texts)
        if found != 1:
            lost.append(f"question {marker}: stored {found} times")
    for session_id, marks in record["attendance"].items():
        stored = {
            str(servant): status
            for servant, status in Attendance.objects.filter(session_id=int(session_id)).values_list(
                "servant_id", "status"
            )
        }
        if stored != marks:
            lost.append(
                f"attendance of session {session_id}: {len(set(stored.items()) ^ set(marks.items()))} marks differ"
            )
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    setup_django()
    print(f"Building the data and {arguments.users} accounts …", flush=True)
    plan = build(arguments.users)
    workdir = Path(tempfile.mkdtemp(prefix="rial-load-"))
    (workdir / "plan.json").write_text(json.dumps(plan))
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "CONN_MAX_AGE": "60",
        "ZEAL_ENABLED": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "LOAD_PLAN": str(workdir / "plan.json"),
        "LOAD_RECORD": str(workdir / "record.json"),
    }
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "rial_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(arguments.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        print(
            f"gunicorn ({arguments.workers} workers) on :{port}; locust: {arguments.users} users for "
            f"{arguments.seconds} s …",
            flush=True,
        )
        spawn_rate = max(1, arguments.users // 10)
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile.py"),
                "--headless",
                "--users",
                str(arguments.users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{arguments.seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(workdir / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    if not (workdir / "load_stats.csv").exists():
        print(locust.stdout, locust.stderr)
        raise SystemExit("locust wrote no statistics")
    rows = list(csv.DictReader(open(workdir / "load_stats.csv")))
    print(f"\n{'request':<22} {'count':>7} {'fails':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in rows:
        print(
            f"{row['Name']:<22} {row['Request Count']:>7} {row['Failure Count']:>6} {row['50%']:>7} "
            f"{row['95%']:>7} {row['99%']:>7}"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = list(csv.DictReader(open(workdir / "load_failures.csv")))
    for failure in failures:
        print(f"FAILED {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}")
    record = json.loads((workdir / "record.json").read_text())
    lost = verify(plan, record)
    for problem in lost:
        print(f"LOST {problem}")
    print(
        f"\n{len(record['questions'])} questions sent, {len(record['attendance'])} attendance grids saved "
        f"(last save of each checked mark by mark)."
    )
    print(
        f"LOAD users={arguments.users} seconds={arguments.seconds} workers={arguments.workers} "
        f"requests={total['Request Count']} failures={total['Failure Count']} rps={float(total['Requests/s']):.1f} "
        f"p50_ms={total['50%']} p95_ms={total['95%']} p99_ms={total['99%']} "
        f"questions={len(record['questions'])} lost_writes={len(lost)}"
    )
    sys.exit(1 if int(total["Failure Count"]) or lost else 0)


if __name__ == "__main__":
    main()
