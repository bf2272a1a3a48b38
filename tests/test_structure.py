"""The layers of every app: views validate and call one service or selector; services write;
selectors read. The survey vocabulary is written once. (Source checks, no database.)"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
VIEW_MODULES = sorted(
    path
    for pattern in ("*/views.py", "*/views/*.py")
    for path in ROOT.glob(pattern)
    if path.parts[-2] not in (".venv",) and not path.name.startswith("test")
)
WRITES = (".save(", ".create(", ".delete(", ".update(", "bulk_create(", "form.save", "get_or_create(")
READS = (".objects.", "get_object_or_404(", "get_list_or_404(")


def test_every_app_has_its_views_checked():
    apps = {path.relative_to(ROOT).parts[0] for path in VIEW_MODULES}
    assert {"capacity_plan", "cooperations", "core", "reports"} <= apps


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_view_writes_to_the_database_itself(path):
    source = path.read_text(encoding="utf-8")
    for write in WRITES:
        assert write not in source, write


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_view_reads_the_orm_itself(path):
    source = path.read_text(encoding="utf-8")
    for read in READS:
        assert read not in source, read


@pytest.mark.parametrize("label", ["Claridad", "Utilidad", "Materiales", "Facilitador/a", "Aplicabilidad"])
def test_each_survey_aspect_label_is_written_once(label):
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py", "*.html"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pattern = re.compile(r"""_\(\s*["']""" + re.escape(label) + r"""["']\s*\)""")
    written = [
        path
        for path in files
        if "/migrations/" not in path and not path.startswith("tests/")
        for _ in pattern.findall((ROOT / path).read_text(encoding="utf-8"))
    ]
    assert written == ["capacity_plan/models/training.py"]
