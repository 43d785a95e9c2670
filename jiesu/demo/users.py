"""One demo user per role, each in a unit where that role works."""

from __future__ import annotations

import secrets

from django.db import transaction

from jiesu.centre.demo import create_oversight_users
from jiesu.core import roles
from jiesu.directory.models import Unit, User

# username, role, unit code (望京街道 is the demo's handling unit: a busy Chaoyang subdistrict)
DEMO_USERS = (
    ("calltaker", roles.CALL_TAKER, "centre", "话务员小王"),
    ("dispatcher", roles.DISPATCHER, "centre", "派单员小李"),
    ("supervisor", roles.SUPERVISOR, "centre", "督办员老张"),
    ("analyst", roles.ANALYST, "centre", "分析员小陈"),
    ("bureau", roles.BUREAU_ADMIN, "bureau", "政务服务局管理员"),
    ("handler", roles.UNIT_HANDLER, None, "望京街道承办人"),
    ("unitadmin", roles.UNIT_ADMIN, None, "望京街道管理员"),
    # Owns the most knowledge-base articles (social security, labour): edits them in the console.
    ("kbadmin", roles.UNIT_ADMIN, "city-hr_social_security", "市人社局知识库管理员"),
)


def demo_unit() -> Unit:
    return Unit.objects.get(kind="subdistrict_office", territory__name="望京街道", district__name="朝阳区")


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo users that do not exist yet; return (username, role, password) for them."""
    created = []
    handling_unit = demo_unit()
    for username, role, unit_code, display in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        unit = Unit.objects.get(code=unit_code) if unit_code else handling_unit
        password = secrets.token_urlsafe(9)
        user = User(
            username=username,
            role=role,
            unit=unit,
            display_name=display,
            is_staff=role == roles.BUREAU_ADMIN,
            is_superuser=role == roles.BUREAU_ADMIN,
        )
        user.set_password(password)
        user.save()
        created.append((username, role, password))
    return created + create_oversight_users()
