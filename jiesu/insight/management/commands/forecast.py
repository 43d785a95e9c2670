"""`jiesu forecast`: rebuild the weekly counts, the forecasts per matter and district, and every
unit's next-month expectations from the orders (R25.1). Runs daily under run-schedule and celery
beat; run it by hand after loading history."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from jiesu.insight import forecasting


class Command(BaseCommand):
    help = "Rebuild weekly order counts, seasonal forecasts and units' next-month expectations."

    def handle(self, *args, **options):
        result = forecasting.refresh()
        self.stdout.write(", ".join(f"{k} {v}" for k, v in result.items()))
