"""Loading and keeping the directory.

`load_directory()` seeds Beijing's places from jionlp's division table and the default units.
It only adds what is missing, so it is safe to run on every start and never overwrites what
an administrator has edited.
"""

from __future__ import annotations

from django.db import transaction

from jiesu.engine import places
from jiesu.engine import units as unit_kinds

from .models import Place, Unit


@transaction.atomic
def load_directory() -> dict[str, int]:
    records = places.beijing_divisions()
    existing = set(Place.objects.values_list("code", flat=True))
    Place.objects.bulk_create(
        [
            Place(code=d.code, name=d.name, level=d.level, aliases=list(d.aliases))
            for d in records
            if d.code not in existing
        ],
        batch_size=2000,
    )
    ids = dict(Place.objects.values_list("code", "id"))
    # Link parents in a second pass: bulk_create cannot refer to rows it is creating.
    to_link = []
    for d in records:
        if d.code in existing:
            continue
        place = Place(id=ids[d.code])
        place.parent_id = ids.get(d.parent_code) if d.parent_code else None
        place.district_id = ids[d.district_code] if d.level != places.DISTRICT else None
        to_link.append(place)
    Place.objects.bulk_update(to_link, ["parent", "district"], batch_size=2000)
    places_added = len(to_link)

    specs = unit_kinds.default_units(records)
    existing_units = set(Unit.objects.values_list("code", flat=True))
    new_specs = [s for s in specs if s.code not in existing_units]
    Unit.objects.bulk_create(
        [
            Unit(
                code=s.code,
                name=s.name,
                kind=s.kind,
                sector=s.sector,
                territory_id=ids.get(s.place_code) if s.place_code else None,
                district_id=ids.get(s.district_code) if s.district_code else None,
                always_on=s.always_on,
            )
            for s in new_specs
        ],
        batch_size=2000,
    )
    unit_ids = dict(Unit.objects.values_list("code", "id"))
    linked = [Unit(id=unit_ids[s.code], parent_id=unit_ids.get(s.parent_code)) for s in new_specs if s.parent_code]
    Unit.objects.bulk_update(linked, ["parent"], batch_size=2000)
    return {"places": places_added, "units": len(new_specs)}


def unit_by_code(code: str) -> Unit:
    return Unit.objects.get(code=code)
