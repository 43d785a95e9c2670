import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from jiesu.core import schedule


class Command(BaseCommand):
    help = (
        "Run the periodic jobs the apps declare (return-visit sweep, follow-up of transfers, "
        "retraining, ...) in this process, for set-ups without a Celery broker. `make run` starts it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once now and exit (for cron)")
        parser.add_argument(
            "--job", action="append", default=[], help="run only this job (a name of the schedule); repeatable"
        )

    def handle(self, *args, once: bool, job: list[str], **options):
        app = schedule.celery_app()
        if not once:  # a long-running process tells what it did; --once prints a summary instead
            logging.getLogger("jiesu.core.schedule").setLevel(logging.INFO)
        try:
            jobs = schedule.scheduled_jobs(app)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if job:
            unknown = sorted(set(job) - {j.name for j in jobs})
            if unknown:
                raise CommandError(
                    f"unknown job {', '.join(unknown)}; the schedule has {', '.join(j.name for j in jobs)}"
                )
            jobs = [j for j in jobs if j.name in job]
        try:
            with schedule.single_runner():
                if once:
                    failed = [j.name for j in jobs if not schedule.run_job(app, j, app.now())]
                    for j in jobs:
                        self.stdout.write(f"{j.name}: {'failed' if j.name in failed else j.last_result}")
                    if failed:
                        raise CommandError(f"failed: {', '.join(failed)} (traceback logged above)")
                    return
                # The handler sets the event that the runner naps on: a stop ends a nap at once,
                # while a job that is running finishes first (its transaction is never cut).
                stop = threading.Event()
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, lambda *_: stop.set())
                self.stdout.write(
                    "running " + ", ".join(f"{j.name} ({j.schedule})" for j in jobs) + "; stop with Ctrl+C", ending="\n"
                )
                self.stdout.flush()
                schedule.run_forever(app, jobs, sleep=stop.wait, should_stop=stop.is_set)
                self.stdout.write("stopped")
        except schedule.ScheduleLocked as exc:
            raise CommandError(str(exc)) from exc
