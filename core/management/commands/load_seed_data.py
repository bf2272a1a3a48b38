from pathlib import Path

from django.conf import settings
from django.core import management
from django.core.management.base import BaseCommand

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the seed and reference data in fixtures/ (in file-name order). Every row has a "
        "fixed primary key, so loading twice updates instead of duplicating."
    )

    def handle(self, *args, **options):
        fixtures = sorted(FIXTURES_DIR.glob("*.json"))
        if not fixtures:
            self.stdout.write("No fixtures to load.")
            return
        management.call_command("loaddata", *[str(path) for path in fixtures], verbosity=options["verbosity"])
        # Fixtures are loaded raw, without history: give every record without one its first
        # history row ("created"), so later edits show what changed. Idempotent.
        management.call_command("populate_history", auto=True, verbosity=0)
