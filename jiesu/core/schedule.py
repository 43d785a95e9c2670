"""The periodic jobs every app declares, gathered into one beat schedule, and run in one process
without a broker.

Each app lists its own jobs as ``periodic_tasks`` on its AppConfig ({name: {"task", "schedule"}},
Celery's beat_schedule entries); core reads them from the app registry and imports no app.

Production runs `celery beat` with a worker. The embedded set-up (`make run`, a small centre on
one machine) has no broker, and without something running the schedule a replied order never
reaches the return-visit queue and transfers to neighbouring hotlines are never followed up.
`jiesu run-schedule` fills that gap with the same schedule and the same task functions, timed by
Celery's own schedule classes, so a job behaves alike under beat and here.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from celery.schedules import schedule as every
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

log = logging.getLogger(__name__)

# The Celery app that the apps' periodic tasks are registered with. It is made above core, so
# core does not import it: the app that makes it hands it over from its AppConfig.ready().
_celery_app = None


def use_celery_app(app) -> None:
    """Hand over the project's Celery app (from an AppConfig.ready(), when every app is loaded)
    and give it the gathered beat schedule, so `celery beat` and `jiesu run-schedule` run one list."""
    global _celery_app
    _celery_app = app
    app.conf.beat_schedule = beat_schedule()


def beat_schedule() -> dict:
    """Every installed app's ``periodic_tasks``, in INSTALLED_APPS order; a name two apps use
    is refused (one would silently replace the other)."""
    merged: dict = {}
    owner: dict[str, str] = {}
    for config in apps.get_app_configs():
        for name, entry in getattr(config, "periodic_tasks", {}).items():
            if name in merged:
                raise ImproperlyConfigured(f"periodic task {name!r} is declared by {owner[name]} and {config.name}")
            merged[name], owner[name] = dict(entry), config.name
    return merged


def celery_app():
    if _celery_app is None:
        raise ImproperlyConfigured(
            "no Celery app was handed to jiesu.core.schedule (use_celery_app in an AppConfig.ready())"
        )
    return _celery_app


@dataclass
class Job:
    name: str
    task: str
    schedule: object  # a celery.schedules.schedule or crontab
    last_run_at: datetime | None = None
    runs: int = 0
    failures: int = 0
    last_result: object = field(default=None, repr=False)


class ScheduleLocked(RuntimeError):
    pass


def scheduled_jobs(app, entries: dict | None = None, *, nowfun=None) -> list[Job]:
    """One Job per entry of the app's beat schedule (or of `entries`); a number of seconds or a
    timedelta becomes Celery's interval schedule. `nowfun` replaces the clock the schedules read
    (tests pass a fake one)."""
    app.loader.import_default_modules()  # registers the tasks autodiscovery found
    entries = app.conf.beat_schedule if entries is None else entries
    jobs = []
    for name, entry in entries.items():
        sched = entry["schedule"]
        if isinstance(sched, (int, float)):
            sched = timedelta(seconds=sched)
        if isinstance(sched, timedelta):
            sched = every(sched, app=app, nowfun=nowfun)
        else:
            sched.app = app
            if nowfun is not None:
                sched.nowfun = nowfun
        if entry["task"] not in app.tasks:
            raise ValueError(f"schedule entry {name!r}: no task named {entry['task']!r} is registered")
        jobs.append(Job(name=name, task=entry["task"], schedule=sched))
    return jobs


def seconds_until_due(job: Job, now: datetime) -> float:
    """0 when the job should run now; a job that never ran counts from `now`."""
    due, next_check = job.schedule.is_due(job.last_run_at or now)
    return 0.0 if due else max(0.0, float(next_check))


def run_job(app, job: Job, now: datetime) -> bool:
    """Run one job in this process; a failure is logged and kept, and never stops the others."""
    _drop_stale_connections()
    started = time.monotonic()
    result = app.tasks[job.task].apply()
    _drop_stale_connections()
    job.last_run_at, job.runs = now, job.runs + 1
    seconds = time.monotonic() - started
    if result.failed():
        job.failures += 1
        job.last_result = result.result
        log.error(
            "job %s (%s) failed after %.1f s:\n%s",
            job.name,
            job.task,
            seconds,
            result.traceback or "".join(traceback.format_exception(result.result)),
        )
        return False
    job.last_result = result.result
    log.info("job %s (%s) done in %.1f s: %s", job.name, job.task, seconds, result.result)
    return True


def _drop_stale_connections() -> None:
    """A long-lived process: drop connections the server has closed or that are past their age,
    as Django does around each request. Never one inside a transaction (a test's, or a caller's),
    which Django's own close_old_connections would close for its changed autocommit."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class single_runner:
    """An exclusive lock file in the data directory: two schedulers on one database would run
    every job twice (two `make run` in one checkout, or cron next to a forgotten runner)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or Path(settings.DATA_DIR) / "run-schedule.lock")
        self.fh = None

    def __enter__(self):
        self.fh = open(self.path, "a+")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.fh.seek(0)
            holder = self.fh.read().strip() or "?"
            self.fh.close()
            raise ScheduleLocked(f"another scheduler holds {self.path} (pid {holder})") from None
        self.fh.seek(0)
        self.fh.truncate()
        self.fh.write(str(os.getpid()))
        self.fh.flush()
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def run_forever(
    app, jobs: list[Job], *, clock=None, sleep=time.sleep, should_stop=lambda: False, max_nap: float = 30.0
) -> None:
    """Run due jobs, then sleep until the next is due (at most `max_nap`, to notice a stop)."""
    clock = clock or (lambda: app.now())
    # Jobs count from the start: the first sweep comes one interval after start-up, as under
    # beat, not all at once.
    started = clock()
    for job in jobs:
        job.last_run_at = job.last_run_at or started
    while not should_stop():
        now = clock()
        waits = []
        for job in jobs:
            if seconds_until_due(job, now) == 0.0:
                run_job(app, job, now)
                now = clock()
            waits.append(seconds_until_due(job, now))
        if should_stop():
            return
        sleep(min([max_nap, *waits]))
