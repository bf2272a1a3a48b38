"""Write the current summary of one cooperation, or of all, as PDF files (no version is made)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from cooperations.selectors import cooperations_for_report
from reports.summary import summary_pdf, summary_snapshot


class Command(BaseCommand):
    help = "Writes the current summary PDF of a cooperation (--cooperation ID) or of every one (--all)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--cooperation", type=int, metavar="ID", help="id of the cooperation")
        which.add_argument("--all", action="store_true", help="every cooperation")
        parser.add_argument("--output-dir", required=True, type=Path, metavar="DIR")

    def handle(self, *args, cooperation, all, output_dir: Path, **options):
        queryset = cooperations_for_report().order_by("pk")
        if not all:
            queryset = queryset.filter(pk=cooperation)
            if not queryset.exists():
                raise CommandError(f"No cooperation has id {cooperation}.")
        output_dir.mkdir(parents=True, exist_ok=True)
        for record in queryset:
            path = output_dir / f"resumen-{record.pk}-{slugify(record.short_name)[:60]}.pdf"
            path.write_bytes(summary_pdf(summary_snapshot(record)))
            self.stdout.write(str(path))
