"""A township's aliases never name another township (`jiesu.engine.places.without_official_names`):
丰台区's 卢沟桥街道 and 卢沟桥地区 (and 南苑) each carried the other's official name as an alias,
and 房山's 东风街道 carried 朝阳's 东风地区. New directories are loaded without them; this
removes them from a directory loaded before, whoever added them, and bumps the rules revision so
every worker rebuilds its engine."""

from django.db import migrations
from django.db.models import F

from jiesu.engine.places import official_name_aliases


def drop_official_names(apps, schema_editor):
    Place = apps.get_model("directory", "Place")
    townships = list(Place.objects.filter(level="subdistrict"))
    official = {place.name for place in townships}
    changed = []
    for place in townships:
        wrong = official_name_aliases(place.name, place.aliases or [], official)
        if wrong:
            place.aliases = [alias for alias in place.aliases if alias not in wrong]
            changed.append(place)
    Place.objects.bulk_update(changed, ["aliases"], batch_size=500)
    if changed:
        RulesRevision = apps.get_model("catalog", "RulesRevision")
        if not RulesRevision.objects.filter(pk=1).update(revision=F("revision") + 1):
            RulesRevision.objects.get_or_create(pk=1, defaults={"revision": 1})


class Migration(migrations.Migration):
    dependencies = [("directory", "0004_area_office_township_aliases")]

    operations = [migrations.RunPython(drop_official_names, migrations.RunPython.noop)]
