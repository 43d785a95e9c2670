"""Between the bureau's rule rows and the engine's plain RuleSet.

`load_default_rules()` seeds the Beijing defaults shipped with the engine (only what is
missing); `ruleset_from_db()` builds the RuleSet the engine runs on, from published catalog
versions (plus named drafts, for replay).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jiesu.engine import rules as engine_rules
from jiesu.knowledge.models import Article

from . import lexicon_merge
from .models import (
    CatalogEntry,
    CatalogVersion,
    HolidayOverride,
    Landmark,
    LexiconSection,
    Matter,
    RuleSetting,
    TimeLimitRule,
)


def lexicons_behind() -> list[str]:
    """Sections whose shipped version is not this release's (`upgrade_lexicons` brings them up)."""
    defaults = engine_rules.default_rules_dict()["lexicons"]
    return [s.key for s in LexiconSection.objects.filter(key__in=defaults) if s.shipped != defaults[s.key]]


@transaction.atomic
def upgrade_lexicons() -> dict[str, lexicon_merge.MergeReport]:
    """This release's lexicons merged into the centre's (three-way: jiesu.catalog.lexicon_merge).
    Sections this release adds are created; each section changed is saved once (which moves the
    rules revision, so every worker rebuilds its engine). Returns the report of each section."""
    defaults = engine_rules.default_rules_dict()["lexicons"]
    reports = {}
    for key, theirs in defaults.items():
        section = LexiconSection.objects.select_for_update().filter(key=key).first()
        report = lexicon_merge.MergeReport()
        if section is None:
            LexiconSection.objects.create(key=key, data=theirs, shipped=theirs)
            report.added.append(key)
        elif section.shipped != theirs:
            base = section.shipped if section.shipped is not None else lexicon_merge.UNKNOWN
            section.data = lexicon_merge.merge(base, section.data, theirs, report, key)
            section.shipped = theirs
            section.save(update_fields=["data", "shipped"])
        reports[key] = report
    return reports


@transaction.atomic
def load_default_rules() -> dict[str, int]:
    defaults = engine_rules.default_rules_dict()
    added = {"time_limits": 0, "matters": 0, "catalogs": 0, "lexicons": 0, "landmarks": 0, "articles": 0}
    rules_by_code = {r.code: r for r in TimeLimitRule.objects.all()}
    for d in defaults["time_limits"]:
        if d["code"] in rules_by_code:
            continue
        rule = engine_rules.TimeLimitRule.from_dict(d)
        rules_by_code[d["code"]] = TimeLimitRule.objects.create(
            code=rule.code,
            name=rule.name,
            response_amount=rule.response.amount,
            response_unit=rule.response.unit,
            completion_amount=rule.completion.amount,
            completion_unit=rule.completion.unit,
            by_kind=d.get("by_kind") or {},
        )
        added["time_limits"] += 1
    existing = set(Matter.objects.values_list("code", flat=True))
    new_matters = [
        Matter(
            code=m["code"],
            level1=m["path"][0],
            level2=m["path"][1],
            name=m["name"],
            keywords=m["keywords"],
            time_limit=rules_by_code[m["time_limit"]],
            community_may_assist=m["community_may_assist"],
        )
        for m in defaults["matters"]
        if m["code"] not in existing
    ]
    Matter.objects.bulk_create(new_matters)
    added["matters"] = len(new_matters)
    for c in defaults["catalogs"]:
        catalog = engine_rules.Catalog.from_dict(c)
        if CatalogVersion.objects.filter(version=catalog.version).exists():
            continue
        version = CatalogVersion.objects.create(
            version=catalog.version,
            effective_from=catalog.effective_from,
            note=catalog.note,
            status=CatalogVersion.PUBLISHED,
            published_at=timezone.now(),
        )
        CatalogEntry.objects.bulk_create(
            [
                CatalogEntry(
                    version=version,
                    matter_code=e["matter"],
                    level=e.get("level", "city"),
                    lead=e["lead"],
                    assist=e.get("assist", []),
                    note=e.get("note", ""),
                )
                for e in c["entries"]
            ]
        )
        added["catalogs"] += 1
    for key, data in defaults["lexicons"].items():
        _, created = LexiconSection.objects.get_or_create(key=key, defaults={"data": data, "shipped": data})
        added["lexicons"] += created
    for key, value in (
        (
            "thresholds",
            engine_rules.Thresholds(auto_dispatch_target=settings.JIESU_AUTO_DISPATCH_TARGET).to_dict(),
        ),
        ("working_hours", defaults["working_hours"]),
    ):
        RuleSetting.objects.get_or_create(key=key, defaults={"value": value})
    from jiesu.directory.models import Place

    for row in engine_rules.default_landmark_rows():
        if Landmark.objects.filter(name=row["name"]).exists():
            continue
        place = (
            Place.objects.filter(name=row.get("subdistrict") or row["district"], district__name=row["district"]).first()
            if row.get("subdistrict")
            else Place.objects.filter(name=row["district"], level="district").first()
        )
        if place:
            Landmark.objects.create(name=row["name"], place=place)
            added["landmarks"] += 1
    for a in engine_rules.default_articles():
        _, created = Article.objects.get_or_create(
            slug=a["id"],
            defaults={
                "title": a["title"],
                "body": a["body"],
                "keywords": a.get("keywords", []),
                "intake_keywords": a.get("keywords", []),
                "legal_basis": a.get("basis", ""),
            },
        )
        added["articles"] += created
    return added


def _setting(key: str, default):
    row = RuleSetting.objects.filter(key=key).first()
    return row.value if row else default


def ruleset_dict_from_db(*, drafts: tuple[str, ...] = ()) -> dict:
    versions = CatalogVersion.objects.filter(status=CatalogVersion.PUBLISHED) | CatalogVersion.objects.filter(
        version__in=drafts
    )
    return {
        "matters": [m.to_engine() for m in Matter.objects.filter(active=True).select_related("time_limit")],
        "catalogs": [v.to_engine() for v in versions.distinct().prefetch_related("entries")],
        "time_limits": [r.to_engine() for r in TimeLimitRule.objects.all()],
        "lexicons": {s.key: s.data for s in LexiconSection.objects.all()},
        "thresholds": _setting("thresholds", {}),
        "working_hours": _setting("working_hours", {}),
    }


def ruleset_from_db(*, drafts: tuple[str, ...] = ()) -> engine_rules.RuleSet:
    return engine_rules.RuleSet.from_dict(ruleset_dict_from_db(drafts=drafts))


def holiday_overrides() -> list[dict]:
    return [
        {"day": h.day.isoformat(), "is_workday": h.is_workday, "note": h.note} for h in HolidayOverride.objects.all()
    ]


def landmark_rows() -> list[dict]:
    rows = []
    for lm in Landmark.objects.select_related("place", "place__district"):
        if lm.place.level == "district":
            rows.append({"name": lm.name, "district": lm.place.name})
        else:
            rows.append(
                {
                    "name": lm.name,
                    "district": lm.place.district.name if lm.place.district else None,
                    "subdistrict": lm.place.name if lm.place.level == "subdistrict" else None,
                }
            )
    return rows
