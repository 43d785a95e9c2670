"""Each role set and status list is written once: no two modules define the same collection of
role or status values (a module that needs one imports it, or names it with an alias)."""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from pathlib import Path

from django.apps import apps

import jiesu
from jiesu.core import roles
from jiesu.orders import choices

JIESU = Path(jiesu.__file__).parent


def _vocabulary() -> set[str]:
    """Every user role, part role and status the models know: the values such sets are made of."""
    words = {value for value, _ in roles.ROLE_CHOICES} | {value for value, _ in choices.UNIT_ROLES}
    for model in apps.get_models():
        if not model.__module__.startswith("jiesu."):
            continue
        for field in model._meta.get_fields():
            name = getattr(field, "name", "")
            if getattr(field, "choices", None) and name.endswith(("status", "state", "role")):
                words |= {str(value) for value, _ in field.flatchoices}
    return words


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(JIESU.parent).with_suffix("").parts)


def _defined_collections(path: Path) -> list[tuple[str, object]]:
    """Names a module binds at module level to a collection it makes (a literal, set(...) and the
    like, a set operation), not to another module's constant (`X = roles.DISPATCH_ROLES` is an
    alias). Modules with none are not imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        if isinstance(value, (ast.Set, ast.Tuple, ast.List, ast.BinOp)) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in {"set", "frozenset", "tuple", "list", "sorted"}
        ):
            names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _values(obj, vocabulary: set[str]) -> frozenset[str] | None:
    """The role or status values of a set, tuple or list (or the keys of a choices list)."""
    if not isinstance(obj, (set, frozenset, tuple, list)) or len(obj) < 2:
        return None
    items = [x[0] if isinstance(x, tuple) and len(x) == 2 else x for x in obj]
    if not all(isinstance(x, str) and x in vocabulary for x in items):
        return None
    return frozenset(items)


def collections_by_value() -> dict[frozenset[str], list[str]]:
    vocabulary = _vocabulary()
    found: dict[frozenset[str], list[str]] = defaultdict(list)
    for path in sorted(JIESU.rglob("*.py")):
        if "migrations" in path.parts or path.name == "settings.py":
            continue
        names = _defined_collections(path)
        if not names:
            continue
        module = importlib.import_module(_module_name(path))
        for name in names:
            values = _values(getattr(module, name, None), vocabulary)
            if values is not None:
                found[values].append(f"{module.__name__}.{name}")
    return found


def test_no_role_set_or_status_list_is_defined_in_two_modules():
    found = collections_by_value()
    twice = {", ".join(sorted(v)): where for v, where in found.items() if len({w.rsplit(".", 1)[0] for w in where}) > 1}
    assert twice == {}


def test_the_scan_sees_the_sets_it_guards():
    """The scan finds the known sets, so an empty result above means something."""
    found = {w for where in collections_by_value().values() for w in where}
    assert {
        "jiesu.core.roles.DISPATCH_ROLES",
        "jiesu.core.roles.DECIDER_ROLES",
        "jiesu.orders.choices.OPEN_STATUSES",
        "jiesu.orders.choices.TRANSFERABLE",
        "jiesu.orders.choices.LEAD_ROLES",
        "jiesu.orders.choices.STATUSES",
    } <= found
