from django.core.management.base import BaseCommand

from jiesu.catalog.rules import load_default_rules
from jiesu.directory.services import load_directory


class Command(BaseCommand):
    help = (
        "Load the Beijing directory and default rules, create one demo user per role (passwords printed once), "
        "and optionally generate orders."
    )

    def add_arguments(self, parser):
        parser.add_argument("--orders", type=int, default=0, help="generate this many historical orders")
        parser.add_argument(
            "--initial-orders",
            type=int,
            default=0,
            help="generate this many orders only when the database has none (make run uses it)",
        )
        parser.add_argument("--seed", type=int, default=12345)
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            help="processes writing the history at once on PostgreSQL (default: one per core)",
        )

    def handle(self, *args, orders: int, initial_orders: int, seed: int, workers: int, **options):
        from jiesu.demo.users import create_demo_users

        self._migrate_if_needed()
        added = load_directory()
        if added["places"] or added["units"]:
            self.stdout.write(f"directory: {added['places']} places, {added['units']} units added")
        rules = load_default_rules()
        if any(rules.values()):
            self.stdout.write("rules: " + ", ".join(f"{k} {v}" for k, v in rules.items()))
        from jiesu.knowledge.services import load_starting_set

        knowledge = load_starting_set()
        if knowledge["added"] or knowledge["updated"]:
            self.stdout.write(f"knowledge: {knowledge['added']} articles added, {knowledge['updated']} updated")
        created = create_demo_users()
        if created:
            self.stdout.write("Demo users (passwords are shown only now; keep them):")
            for username, role, password in created:
                self.stdout.write(f"  {username:<12} {role:<14} {password}")
        else:
            self.stdout.write(
                "Demo users already exist (passwords were printed when they were created; "
                "`jiesu changepassword NAME` sets a new one)."
            )
        if initial_orders and not orders:
            from jiesu.orders.models import WorkOrder

            if not WorkOrder.objects.exists():
                orders = initial_orders
        if orders:
            from jiesu.demo.live import bring_to_life
            from jiesu.demo.orders import generate_orders

            report = generate_orders(orders, seed=seed, stdout=self.stdout, workers=workers or None)
            self.stdout.write(f"orders generated: {report}")
            from jiesu.demo.history import add_older_history

            older = add_older_history(orders, seed=seed, stdout=self.stdout, workers=workers or None)
            self.stdout.write(f"older history: {older}")
            # The bulk loaders (recent and older history) write rows as an import would: their free
            # text gets its order keys now.
            from jiesu.orders.models import OrderEvent
            from jiesu.orders.models import WorkOrder as Orders
            from jiesu.orders.sealing import seal_existing

            self.stdout.write(f"free text sealed under order keys: {seal_existing(Orders, OrderEvent)} orders")
            # Then today, through the services: engine decisions, the unit's and the supervisor's
            # morning, the assessment of every past month.
            today = bring_to_life(self.stdout)
            self.stdout.write("today: " + ", ".join(f"{k} {v}" for k, v in today.items()))
            from jiesu.demo.linkage import add_linkage_demo

            linked = add_linkage_demo(self.stdout)
            self.stdout.write("linkage: " + ", ".join(f"{k} {v}" for k, v in linked.items()))
            from jiesu.directory.models import User
            from jiesu.public.services import publish_demo_cases

            supervisor = User.objects.filter(username="supervisor").first()
            if supervisor is not None:
                self.stdout.write(f"public cases: {publish_demo_cases(supervisor)} published")
            from jiesu.demo.history import add_insight_demo

            add_insight_demo(self.stdout)

    def _migrate_if_needed(self) -> None:
        """A demo on a database nobody migrated yet (a new PostgreSQL database, a new data
        folder) prepares it first, as `make run` does, instead of failing on a missing table."""
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("database: applying migrations (`jiesu migrate`) first")
            call_command("migrate", interactive=False, verbosity=0)
