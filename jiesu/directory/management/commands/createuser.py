"""`jiesu createuser NAME --role ROLE --unit CODE`: a console user in a unit, with a role (R5.1)."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiesu.core import roles
from jiesu.directory.models import Unit, User


class Command(BaseCommand):
    help = (
        "Create a console user who belongs to a unit and has one role; "
        "prints a generated password unless --password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[code for code, _ in roles.ROLE_CHOICES])
        parser.add_argument("--unit", required=True, help="unit code, e.g. centre, so-110105010, city-housing")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None, help="otherwise a random one is printed once")

    def handle(self, *args, username, role, unit, name, email, password, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        try:
            unit_obj = Unit.objects.get(code=unit)
        except Unit.DoesNotExist:
            raise CommandError(
                f"no unit with code {unit!r} (see the admin's 承办单位 list, or `jiesu load-directory`)"
            ) from None
        if role in roles.UNIT_ROLES and unit_obj.kind in {"hotline_centre", "service_bureau"}:
            raise CommandError(f"role {role} belongs to a handling unit, not to {unit_obj.name}")
        if role in roles.CENTRE_ROLES and unit_obj.kind not in {"hotline_centre", "service_bureau"}:
            raise CommandError(f"role {role} belongs to the hotline centre or the bureau, not to {unit_obj.name}")
        generated = password is None
        password = password or secrets.token_urlsafe(12)
        # The bureau administrator owns every rule table in /admin/ (as the demo's `bureau` does);
        # staff status alone would let them in to an empty admin.
        user = User(
            username=username,
            role=role,
            unit=unit_obj,
            display_name=name,
            email=email,
            is_staff=role == roles.BUREAU_ADMIN,
            is_superuser=role == roles.BUREAU_ADMIN,
        )
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("password: " + " ".join(exc.messages)) from exc
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"created {username} ({role}, {unit_obj.name})" + (f"; password: {password}" if generated else "")
        )
