"""Core is the ground floor of the Django apps: its commands and its schedule runner import no
app above it. `jiesu demo` comes from the demo app, and `jiesu run-schedule` is handed the
Celery app by the app that makes it."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import jiesu.core

CORE = Path(jiesu.core.__file__).parent
ABOVE_CORE = {c.name for c in apps.get_app_configs() if c.name.startswith("jiesu.") and c.name != "jiesu.core"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    return found | {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}


def test_core_commands_and_schedule_import_no_app_above_core():
    files = [CORE / "schedule.py", *sorted((CORE / "management" / "commands").glob("*.py"))]
    upward = {
        str(f.relative_to(CORE)): sorted(
            m for m in _imports(f) if any(m == a or m.startswith(a + ".") for a in ABOVE_CORE)
        )
        for f in files
    }
    assert {f: m for f, m in upward.items() if m} == {}


def test_demo_command_is_the_demo_apps():
    from django.core.management import get_commands

    assert get_commands()["demo"] == "jiesu.demo"
    assert not (CORE / "management" / "commands" / "demo.py").exists()


def test_run_schedule_runs_on_the_project_celery_app():
    from jiesu.celery import app
    from jiesu.core import schedule

    assert schedule.celery_app() is app
