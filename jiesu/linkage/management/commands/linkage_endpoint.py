import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiesu.directory.models import Unit
from jiesu.linkage.models import NeighbourHotline
from jiesu.open311.models import ApiClient


class Command(BaseCommand):
    help = (
        "Configure a neighbour hotline's Open311 endpoint (what the admin page does), for scripted setups. "
        "The API key the neighbour issued is read from standard input, never from the command line, "
        "so that it does not show in the process list or the shell history."
    )

    def add_arguments(self, parser):
        parser.add_argument("unit", help="unit code of the neighbour hotline, e.g. hotline-tianjin")
        parser.add_argument("--url", help="GeoReport v2 base URL, e.g. https://12345.tj.gov.cn/open311/v2")
        parser.add_argument("--key-stdin", action="store_true", help="read the neighbour's api_key from stdin")
        parser.add_argument(
            "--client", help="name of the Open311 client (jiesu open311-key) the neighbour uses with us"
        )
        parser.add_argument("--jurisdiction", help="jurisdiction_id, if their server needs one")
        parser.add_argument("--default-service-code", help="their service code for orders without a matter")
        state = parser.add_mutually_exclusive_group()
        state.add_argument("--disable", action="store_true")
        state.add_argument("--enable", action="store_true")

    def handle(
        self, *args, unit, url, key_stdin, client, jurisdiction, default_service_code, disable, enable, **options
    ):
        target = Unit.objects.filter(code=unit).first()
        if target is None:
            raise CommandError(f"no unit with code {unit!r}")
        hotline = NeighbourHotline.objects.filter(unit=target).first() or NeighbourHotline(unit=target)
        if url:
            hotline.base_url = url
        if key_stdin:
            key = sys.stdin.readline().strip()
            if not key:
                raise CommandError("no key on standard input")
            hotline.set_api_key(key)
        if client is not None:
            found = ApiClient.objects.filter(name=client, active=True).first() if client else None
            if client and found is None:
                raise CommandError(f"no active Open311 client named {client!r}")
            hotline.inbound_client = found
        if jurisdiction is not None:
            hotline.jurisdiction_id = jurisdiction
        if default_service_code is not None:
            hotline.default_service_code = default_service_code
        if disable or enable:
            hotline.active = enable
        if not hotline.base_url or not hotline.api_key_enc:
            raise CommandError("a new endpoint needs --url and --key-stdin")
        try:
            hotline.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
        hotline.save()
        self.stdout.write(f"{target.code}: {hotline.base_url} ({'active' if hotline.active else 'disabled'})")
