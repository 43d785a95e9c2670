"""An area office (地区办事处) is also its township's government: 沙河地区 answers to 沙河镇 and
沙河乡 (round 58; `jiesu.engine.places.township_aliases`). New directories get these aliases from
`jiesu load-directory`; this adds them to the places of a directory loaded before, keeping every
alias already there (an administrator's own included), and bumps the rules revision so every
worker rebuilds its engine with them."""

from django.db import migrations
from django.db.models import F

from jiesu.engine.places import township_aliases


def add_aliases(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    changed = []
    for place in Place.objects.filter(level="subdistrict", name__endswith="地区"):
        aliases = list(place.aliases or [])
        missing = [alias for alias in township_aliases(place.name) if alias not in aliases]
        if missing:
            place.aliases = aliases + missing
            changed.append(place)
    Place.objects.bulk_update(changed, ["aliases"], batch_size=500)
    if changed:
        RulesRevision = apps.get_model("catalog", "RulesRevision")
        if not RulesRevision.objects.filter(pk=1).update(revision=F("revision") + 1):
            RulesRevision.objects.get_or_create(pk=1, defaults={"revision": 1})


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_social_unit_kinds"),
        ("catalog", "0003_lexicon_shipped_base"),
    ]

    operations = [migrations.RunPython(add_aliases, migrations.RunPython.noop)]
