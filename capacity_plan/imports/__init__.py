"""Imports of participants, attendance and survey answers from CSV / XLSX files as Google Forms
exports them (django-import-export resources).

Every import is previewed first (a dry run that reports each bad row) and written only when
the whole file is valid, in one transaction. Re-importing a file stores nothing twice.

- files.py: reading a CSV / XLSX upload into a dataset with canonical headers;
- widgets.py: reading cells (regions, ratings, timestamps);
- resources.py: one django-import-export resource per kind of import;
- running.py: the run, all rows or none, and the upload → preview → confirm steps;
- previews.py: the stash of previewed files (ImportPreview rows with an expiry).
"""

from ..models import ImportKind, ImportPreview
from .files import MAX_IMPORT_BYTES, MAX_ROWS, canonical_header, read_table
from .previews import PREVIEW_LIFETIME, import_previews_delete_expired
from .running import ImportReport, import_confirm, import_run, import_upload
from .widgets import parse_timestamp

__all__ = [
    "MAX_IMPORT_BYTES",
    "MAX_ROWS",
    "PREVIEW_LIFETIME",
    "ImportKind",
    "ImportPreview",
    "ImportReport",
    "canonical_header",
    "import_confirm",
    "import_previews_delete_expired",
    "import_run",
    "import_upload",
    "parse_timestamp",
    "read_table",
]
