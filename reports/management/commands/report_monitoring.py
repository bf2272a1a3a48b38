"""Write the monitoring report of the bimonthly period containing a month (no version is made)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from capacity_plan.periods import Bimester
from capacity_plan.selectors import plan_get
from reports.monitoring import monitoring_pdf, monitoring_snapshot


def month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"--period must look like 2025-03, not {text!r}.") from error


class Command(BaseCommand):
    help = "Writes the PFC monitoring report of the bimonthly period that contains --period YYYY-MM."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, metavar="YYYY-MM")
        parser.add_argument("--output", required=True, type=Path, metavar="FILE")

    def handle(self, *args, period: str, output: Path, **options):
        bimester = Bimester.containing(month(period))
        plan = plan_get()
        if plan is None:
            raise CommandError("There is no plan: load the seed data first (make setup).")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(monitoring_pdf(monitoring_snapshot(plan=plan, period=bimester)))
        self.stdout.write(f"{output} ({bimester.label})")
