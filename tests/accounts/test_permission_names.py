"""The permission vocabulary: every rule is named once, as a constant, and no name can be mistaken
for one of Django's model permissions."""

import re
import subprocess
from pathlib import Path

import pytest
import rules
from django.apps import apps

from capacity_plan import permissions as plan_permissions
from cooperations import permissions as cooperation_permissions
from reports import permissions as report_permissions

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = ("accounts", "cooperations", "capacity_plan", "reports")
CONSTANT_MODULES = (cooperation_permissions, plan_permissions, report_permissions)


def _constants() -> dict[str, str]:
    return {
        f"{module.__name__}.{name}": value
        for module in CONSTANT_MODULES
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str)
    }


def _our_rules() -> set[str]:
    return {name for name in rules.permissions.permissions if name.split(".", 1)[0] in OUR_APPS}


def test_every_rule_is_a_named_constant_and_every_constant_a_rule():
    assert set(_constants().values()) == _our_rules()


def test_no_rule_name_has_the_form_of_a_model_permission():
    model_permission = re.compile(r"^(add|change|delete|view)_")
    for name in _our_rules():
        app_label, codename = name.split(".", 1)
        assert not model_permission.match(codename), name
        model_codenames = {
            f"{action}_{model._meta.model_name}"
            for model in apps.get_app_config(app_label).get_models()
            for action in ("add", "change", "delete", "view")
        }
        assert codename not in model_codenames, name


@pytest.mark.parametrize("value", sorted(set(_constants().values())))
def test_each_permission_name_is_written_once_in_the_code_and_templates(value):
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py", "*.html", "*.txt"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    app_label, codename = value.split(".", 1)
    written = [
        path
        for path in files
        if "/migrations/" not in path and not path.startswith("tests/")
        for _ in range((ROOT / path).read_text(encoding="utf-8", errors="ignore").count(f'"{value}"'))
    ]
    in_templates = [
        path
        for path in files
        if path.endswith(".html") and f"perms.{app_label}.{codename}" in (ROOT / path).read_text(encoding="utf-8")
    ]
    assert len(written) == 1, written
    assert in_templates == []
