"""`make bench`: build a large data set on PostgreSQL, then time the reports and the main pages.

Data: the four seed cooperations plus 2,000 generated ones (sessions, participants, questions,
steps); the PFC with 7,000 training actions and 150,000 attendance rows (and surveys). Then:
- the largest seed summary and the monitoring report of the busiest period: time, peak memory
  (resident size of a separate process that renders it, as a worker would) and SQL queries;
- p50/p95 latency and SQL queries of the main list and detail pages, and of the Django admin
  changelist of the same cooperations as a baseline, in the same run.
The last line is machine-readable: `BENCH summary_s=… monitoring_s=…` and so on.

Writes into the database it is given: `make bench` gives it a throw-away cluster. Run:
    scripts/with-services.sh .venv/bin/python benchmarks/run.py [--scale 0.1] [--rounds 30]
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rial_site.settings")


def setup_django():
    import django

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The benchmark writes a large data set: run it with `make bench` (throw-away PostgreSQL).")
    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Data --------------------------------------------------------------------------------------


def build_cooperations(count: int, rng: random.Random) -> None:
    from cooperations.models import (
        Call,
        Cooperation,
        Institution,
        Participation,
        Person,
        Question,
        Session,
        SpecificObjective,
        Step,
    )

    institutions = list(Institution.objects.filter(parent__isnull=True, country__isnull=False))
    calls = list(Call.objects.all())
    cooperations = []
    for n in range(count):
        requesting, providing = rng.sample(institutions, 2)
        cooperations.append(
            Cooperation(
                title=f"Cooperación bilateral RIAL/OEA n.º {n}",
                short_name=f"Cooperación {n:04d}",
                topic="Empleo",
                call=rng.choice(calls),
                requesting_institution=requesting,
                providing_institution=providing,
                description="Descripción " * 40,
                general_objective="Objetivo general " * 10,
            )
        )
    cooperations = Cooperation.objects.bulk_create(cooperations, batch_size=500)
    objectives = SpecificObjective.objects.bulk_create(
        [SpecificObjective(cooperation=c, order=k, text=f"Objetivo {k}") for c in cooperations for k in (1, 2)],
        batch_size=2000,
    )
    base = datetime(2024, 3, 5, 14, tzinfo=UTC)
    sessions = Session.objects.bulk_create(
        [
            Session(
                cooperation=c,
                order=k,
                title=f"Sesión {k}",
                starts_at=base + timedelta(days=30 * k + i % 300),
                ends_at=base + timedelta(days=30 * k + i % 300, hours=3),
                date=(base + timedelta(days=30 * k)).date(),
                summary="Resumen de la sesión. " * 20,
                recording_access_code="codigo",
            )
            for i, c in enumerate(cooperations)
            for k in range(1, 5)
        ],
        batch_size=2000,
    )
    Step.objects.bulk_create(
        [
            Step(
                cooperation=s.cooperation,
                after_session=s,
                order=1,
                text="Enviar información",
                due_date=s.date + timedelta(days=14),
            )
            for s in sessions
            if s.date is not None
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create([Person(full_name=f"Persona {n}") for n in range(count * 10)], batch_size=5000)
    Participation.objects.bulk_create(
        [
            Participation(
                cooperation=c,
                person=people[i * 10 + k],
                position="Especialista",
                institution=c.requesting_institution if k % 2 else c.providing_institution,
                delegation=(c.requesting_institution if k % 2 else c.providing_institution).country,
                order=k,
            )
            for i, c in enumerate(cooperations)
            for k in range(10)
        ],
        batch_size=5000,
    )
    Question.objects.bulk_create(
        [
            Question(
                cooperation=o.cooperation,
                objective=o,
                number=k,
                text=f"¿Pregunta {k} del objetivo {o.order}?",
                asked_by=o.cooperation.requesting_institution,
            )
            for o in objectives
            for k in range(1, 6)
        ],
        batch_size=5000,
    )


def build_training(actions: int, attendance_rows: int, rng: random.Random) -> None:
    from capacity_plan.models import (
        ActionSession,
        Attendance,
        Milestone,
        OrganisationalUnit,
        PublicServant,
        Region,
        SatisfactionResponse,
        TrainingAction,
    )

    regions = list(Region.objects.all())
    units = list(OrganisationalUnit.objects.all())
    milestones = list(Milestone.objects.all())
    servant_count = max(50, attendance_rows // 50)
    servants = [
        PublicServant(full_name=f"Servidor {n}", document_number=f"{40000000 + n}", region=regions[n % len(regions)])
        for n in range(servant_count)
    ]
    for servant in servants:
        servant.identity_key = PublicServant.make_identity_key(
            document_number=servant.document_number, email="", full_name=servant.full_name, region_id=servant.region_id
        )
    servants = PublicServant.objects.bulk_create(servants, batch_size=5000)
    statuses = ["ejecutada"] * 6 + ["programada"] * 2 + ["reprogramada", "cancelada"]
    kinds = [choice for choice, _label in TrainingAction.Kind.choices]
    created = []
    for n in range(actions):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(365))
        status = rng.choice(statuses)
        created.append(
            TrainingAction(
                kind=rng.choice(kinds[:2]) if n % 7 else rng.choice(kinds),
                title=f"Acción formativa {n}",
                organisational_unit=rng.choice(units),
                milestone=rng.choice(milestones),
                status=status,
                status_reason="Motivo" if status in ("cancelada", "reprogramada") else "",
                original_start=start - timedelta(days=20) if status == "reprogramada" else None,
                original_end=start - timedelta(days=18) if status == "reprogramada" else None,
                hours=Decimal(24 if n % 7 == 0 else 4),
                planned_start=start,
                planned_end=start + timedelta(days=2),
                executed_start=start if status == "ejecutada" else None,
            )
        )
    created = TrainingAction.objects.bulk_create(created, batch_size=2000)
    through = TrainingAction.target_regions.through
    through.objects.bulk_create(
        [through(trainingaction_id=a.pk, region_id=r.pk) for a in created for r in rng.sample(regions, 3)],
        batch_size=5000,
    )
    sessions = ActionSession.objects.bulk_create(
        [ActionSession(action=a, date=a.planned_start, duration_hours=Decimal(4)) for a in created], batch_size=5000
    )
    per_session = max(1, attendance_rows // len(sessions))
    rows = []
    for index, session in enumerate(sessions):
        first = (index * per_session) % (servant_count - per_session)
        for servant in servants[first : first + per_session]:
            rows.append(
                Attendance(session=session, servant=servant, status="present" if rng.random() < 0.85 else "absent")
            )
    Attendance.objects.bulk_create(rows[:attendance_rows], batch_size=10000)
    SatisfactionResponse.objects.bulk_create(
        [
            SatisfactionResponse(
                action=a,
                clarity=rng.randint(3, 5),
                usefulness=rng.randint(3, 5),
                materials=rng.randint(2, 5),
                facilitator=rng.randint(3, 5),
                applicability=rng.randint(3, 5),
                submitted_at=datetime.combine(a.planned_start, datetime.min.time(), UTC),
                source_key=f"bench-{a.pk}-{k}",
            )
            for a in created
            if a.status == "ejecutada"
            for k in range(3)
        ],
        batch_size=5000,
    )


# --- Measurements ------------------------------------------------------------------------------


def timed(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
    return result, elapsed, len(queries)


def peak_rss_mb(arguments: list[str]) -> float:
    """Peak resident size of a separate process running a management command, as a worker
    rendering the report would be (benchmarks/peak.py reads the process's own VmHWM)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "peak.py"), *arguments], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"{' '.join(arguments)} failed: {done.stderr[-2000:]}")
    return int(done.stdout.strip().splitlines()[-1].split()[1]) / 1024


def page_stats(client, url: str, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches (templates, translations)
    times, counts = [], set()
    for _round in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
        counts.add(len(queries))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "queries": max(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data set (tests use 0.01)")
    parser.add_argument("--rounds", type=int, default=30, help="requests per page")
    options = parser.parse_args()
    setup_django()

    from django.core import management
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from accounts.roles import MANAGER, ODES_SPECIALIST, OEA_STAFF
    from capacity_plan.models import Attendance, TrainingAction
    from capacity_plan.periods import Bimester
    from capacity_plan.selectors import plan_get
    from cooperations.models import Cooperation
    from reports.monitoring import monitoring_pdf, monitoring_snapshot
    from reports.summary import summary_pdf, summary_snapshot
    from tests.factories import AdministratorFactory, user_with_role

    rng = random.Random(2025)
    out = sys.stdout
    out.write("Building the data set…\n")
    out.flush()
    started = time.perf_counter()
    management.call_command("migrate", verbosity=0)
    management.call_command("load_seed_data", verbosity=0, stdout=io.StringIO())
    build_cooperations(int(2000 * options.scale), rng)
    build_training(int(7000 * options.scale), int(150_000 * options.scale), rng)
    out.write(
        f"  {Cooperation.objects.count()} cooperations, {TrainingAction.objects.count()} training actions, "
        f"{Attendance.objects.count()} attendance rows ({time.perf_counter() - started:.0f} s)\n\n"
    )

    # Reports.
    largest_pk = Cooperation.objects.filter(pk__lte=4).annotate(n=Count("questions")).order_by("-n")[0].pk
    largest = Cooperation.objects.select_related(
        "call", "requesting_institution__country", "providing_institution__country"
    ).get(pk=largest_pk)
    _pdf, summary_s, summary_queries = timed(lambda: summary_pdf(summary_snapshot(largest)))
    busiest = max(
        Bimester.of_year(2025),
        key=lambda period: TrainingAction.objects.filter(planned_start__range=(period.start, period.end)).count(),
    )
    plan = plan_get()
    _pdf, monitoring_s, monitoring_queries = timed(
        lambda: monitoring_pdf(monitoring_snapshot(plan=plan, period=busiest))
    )
    with tempfile.TemporaryDirectory() as folder:
        summary_mb = peak_rss_mb(["report_summary", "--cooperation", str(largest.pk), "--output-dir", folder])
        monitoring_mb = peak_rss_mb(
            [
                "report_monitoring",
                "--period",
                f"{busiest.year}-{busiest.start.month:02d}",
                "--output",
                f"{folder}/seguimiento.pdf",
            ]
        )

    # Pages.
    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    staff, odes = client_for(user_with_role(OEA_STAFF)), client_for(user_with_role(ODES_SPECIALIST))
    manager, admin = client_for(user_with_role(MANAGER)), client_for(AdministratorFactory())
    action = TrainingAction.objects.filter(sessions__isnull=False).order_by("pk")[0]
    pages = [
        ("list", "Cooperaciones: lista", staff, reverse("cooperations:list")),
        ("detail", "Cooperación: ficha (semilla mayor)", staff, reverse("cooperations:detail", args=[largest.pk])),
        ("list", "PFC: acciones formativas", odes, reverse("capacity_plan:actions")),
        ("detail", "PFC: ficha de acción", odes, reverse("capacity_plan:action", args=[action.pk])),
        ("detail", "PFC: plan (periodo activo)", manager, reverse("capacity_plan:home") + f"?periodo={busiest.code}"),
        ("list", "Informes: resúmenes", staff, reverse("reports:home")),
        ("admin", "Admin: cooperaciones (base)", admin, reverse("admin:cooperations_cooperation_changelist")),
        (
            "admin",
            "Admin: ficha de cooperación (base)",
            admin,
            reverse("admin:cooperations_cooperation_change", args=[largest.pk]),
        ),
    ]
    results = [(kind, label, page_stats(client, url, options.rounds)) for kind, label, client, url in pages]

    out.write(f"{'Medición':<42}{'tiempo':>12}{'memoria':>12}{'consultas':>11}\n")
    out.write(
        f"{'Resumen ' + largest.short_name[:26]:<42}{summary_s:>10.2f} s{summary_mb:>9.0f} MB{summary_queries:>11}\n"
    )
    out.write(
        f"{'Seguimiento ' + busiest.label:<42}{monitoring_s:>10.2f} s{monitoring_mb:>9.0f} MB"
        f"{monitoring_queries:>11}\n\n"
    )
    out.write(f"{'Página':<42}{'p50 ms':>10}{'p95 ms':>10}{'consultas':>11}\n")
    for _kind, label, stats in results:
        out.write(f"{label:<42}{stats['p50']:>10.1f}{stats['p95']:>10.1f}{stats['queries']:>11}\n")

    def worst(kind):
        return max(stats["p95"] for k, _label, stats in results if k == kind)

    max_queries = max(stats["queries"] for kind, _label, stats in results if kind != "admin")
    out.write(
        f"BENCH summary_s={summary_s:.2f} monitoring_s={monitoring_s:.2f} monitoring_mb={monitoring_mb:.0f} "
        f"list_p95_ms={worst('list'):.1f} detail_p95_ms={worst('detail'):.1f} "
        f"admin_list_p95_ms={results[-2][2]['p95']:.1f} max_queries_per_page={max_queries}\n"
    )


if __name__ == "__main__":
    main()
