"""Every setting the code reads is declared in jiesu/settings.py (or is Django's or a library's
own), and every environment variable settings.py reads is in README's tables."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import global_settings

import jiesu
from jiesu import settings as project

JIESU = Path(jiesu.__file__).parent
README = (JIESU.parent / "README.md").read_text(encoding="utf-8")
# Settings of the libraries in INSTALLED_APPS, read by name with the library's own default.
LIBRARY_PREFIXES = ("AXES_", "CELERY_", "REST_", "CSP_")


def _settings_read(path: Path) -> set[str]:
    """Names read as `settings.NAME` or `getattr(settings, "NAME", ...)`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "settings":
            if node.attr.isupper():
                names.add(node.attr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr"}
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
            and isinstance(node.args[1], ast.Constant)
        ):
            names.add(node.args[1].value)
    return names


def test_every_setting_read_is_declared():
    undeclared = {}
    for path in sorted(JIESU.rglob("*.py")):
        if "migrations" in path.parts or path.name == "settings.py":
            continue
        missing = {
            name
            for name in _settings_read(path)
            if not hasattr(project, name)
            and not hasattr(global_settings, name)
            and not name.startswith(LIBRARY_PREFIXES)
        }
        if missing:
            undeclared[str(path.relative_to(JIESU.parent))] = sorted(missing)
    assert undeclared == {}


def test_no_module_but_settings_reads_the_environment():
    readers = {}
    for path in sorted(JIESU.rglob("*.py")):
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        found = set(re.findall(r"os\.environ(?:\.get)?\(?\[?\"(\w+)\"", text)) - {"DJANGO_SETTINGS_MODULE"}
        if found:
            readers[str(path.relative_to(JIESU.parent))] = sorted(found)
    assert readers == {}


def test_every_environment_variable_is_in_the_readme():
    text = (JIESU / "settings.py").read_text(encoding="utf-8")
    variables = set(re.findall(r"os\.environ(?:\.get)?\(?\[?\"(\w+)\"", text))
    variables |= set(re.findall(r"_env\w*\(\s*\"(\w+)\"", text))
    assert len(variables) > 30  # the scan sees settings.py's reads
    assert sorted(v for v in variables if f"`{v}`" not in README and f"{v}=" not in README) == []
