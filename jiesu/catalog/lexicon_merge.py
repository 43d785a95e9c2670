"""A new release's lexicons into a centre that has edited its own (three-way, like a package
manager's configuration files).

Each `LexiconSection` keeps the shipped version it was last seeded or upgraded from
(`shipped`). Upgrading compares three versions of a section: that base, the centre's own
(`data`) and the new release's. A term the release added is added; a term the release removed
is removed unless the centre never had it; a term the centre added or removed stays so; a value
both changed keeps the centre's and is reported. A section seeded before `shipped` existed has
no base: then the release's terms are only added (nothing the centre has is removed or changed).

Lists of terms are merged as sets in order (the centre's order first, new terms after); lists of
objects (the emergency lines, the legal channels) are matched by their identifying field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNKNOWN = object()  # no shipped base: the section was seeded before it was kept
IDENTITY_FIELDS = ("line", "channel", "key", "code", "name", "label")


@dataclass
class MergeReport:
    added: list[str] = field(default_factory=list)  # "path: term"
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # both changed: the centre's value stays

    @property
    def touched(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def merge(base, mine, theirs, report: MergeReport | None = None, path: str = ""):
    """The centre's `mine` upgraded from `base` to `theirs` (see the module's rules)."""
    report = report if report is not None else MergeReport()
    if _same(mine, theirs):
        return mine
    if base is not UNKNOWN and _same(mine, base):
        report.changed.append(path)
        return theirs
    if base is not UNKNOWN and _same(theirs, base):
        return mine
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return _merge_dicts(base if isinstance(base, dict) else UNKNOWN, mine, theirs, report, path)
    if isinstance(mine, list) and isinstance(theirs, list):
        key = _identity(mine, theirs)
        if key:
            return _merge_objects(key, base if isinstance(base, list) else UNKNOWN, mine, theirs, report, path)
        if all(not isinstance(x, (dict, list)) for x in mine + theirs):
            return _merge_terms(base if isinstance(base, list) else UNKNOWN, mine, theirs, report, path)
    report.kept.append(path)
    return mine


def _same(a, b) -> bool:
    return a is not UNKNOWN and b is not UNKNOWN and a == b


def _merge_dicts(base, mine: dict, theirs: dict, report: MergeReport, path: str) -> dict:
    out = {}
    for k, value in mine.items():
        below = base.get(k, UNKNOWN) if base is not UNKNOWN else UNKNOWN
        if k in theirs:
            out[k] = merge(below, value, theirs[k], report, f"{path}.{k}".lstrip("."))
        elif below is not UNKNOWN and value == below:
            report.removed.append(f"{path}.{k}".lstrip("."))  # the release dropped it, the centre never changed it
        else:
            out[k] = value
    for k, value in theirs.items():
        if k in mine:
            continue
        if base is not UNKNOWN and k in base:
            continue  # the centre deleted it; the release still has it
        out[k] = value
        report.added.append(f"{path}.{k}".lstrip("."))
    return out


def _merge_terms(base, mine: list, theirs: list, report: MergeReport, path: str) -> list:
    base_set = set(base) if base is not UNKNOWN else set()
    theirs_set, mine_set = set(theirs), set(mine)
    out = []
    for term in mine:
        if base is not UNKNOWN and term in base_set and term not in theirs_set:
            report.removed.append(f"{path}: {term}")
            continue
        out.append(term)
    for term in theirs:
        if term not in mine_set and term not in base_set:
            out.append(term)
            report.added.append(f"{path}: {term}")
    return out


def _identity(*lists: list) -> str | None:
    """The field that names each object of every list, once in its list."""
    items = [x for lst in lists for x in lst]
    if not items or not all(isinstance(x, dict) for x in items):
        return None
    # The field must tell a list's objects apart: the shipped emergency groups share their line
    # (four are 119), and matched by it every 119 group but the last was lost from an upgrade.
    for key in IDENTITY_FIELDS:
        columns = [[x.get(key) for x in lst] for lst in lists]
        if all(isinstance(v, str) and v for col in columns for v in col) and all(
            len(set(col)) == len(col) for col in columns
        ):
            return key
    return None


def _merge_objects(key: str, base, mine: list, theirs: list, report: MergeReport, path: str) -> list:
    base_by = {x[key]: x for x in base} if base is not UNKNOWN and _identity(base) == key else None
    theirs_by = {x[key]: x for x in theirs}
    mine_ids = {x[key] for x in mine}
    out = []
    for item in mine:
        ident = item[key]
        below = base_by.get(ident, UNKNOWN) if base_by is not None else UNKNOWN
        where = f"{path}[{ident}]"
        if ident in theirs_by:
            out.append(merge(below, item, theirs_by[ident], report, where))
        elif below is not UNKNOWN and item == below:
            report.removed.append(where)
        else:
            out.append(item)
    for item in theirs:
        ident = item[key]
        if ident in mine_ids or (base_by is not None and ident in base_by):
            continue
        out.append(item)
        report.added.append(f"{path}[{ident}]")
    return out
