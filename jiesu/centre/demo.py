"""Demo users of the oversight roles (R5.1): Chaoyang's government and the city's."""

from __future__ import annotations

import secrets

from jiesu.core import roles
from jiesu.directory.models import Unit, User

# username, role, how to find the unit, display name
OVERSIGHT_USERS = (
    ("district", roles.DISTRICT_OVERSIGHT, {"kind": "district_gov", "district__name": "朝阳区"}, "朝阳区政府督查员"),
    ("city", roles.CITY_OVERSIGHT, {"kind": "municipal_gov"}, "市政府督查员"),
)


def create_oversight_users() -> list[tuple[str, str, str]]:
    """Create those that do not exist yet; (username, role, password) for each one created."""
    created = []
    for username, role, unit_filter, display in OVERSIGHT_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = Unit.objects.filter(**unit_filter).order_by("code").first()
        if unit is None:
            continue
        password = secrets.token_urlsafe(9)
        user = User(username=username, role=role, unit=unit, display_name=display)
        user.set_password(password)
        user.save()
        created.append((username, role, password))
    return created
