"""`jiesu run-schedule`: the beat schedule without a broker, so `make run` queues return visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from jiesu.celery import app
from jiesu.core import schedule
from jiesu.followup.models import ReturnVisit


@app.task(name="tests.schedule.boom")
def boom():
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _own_lock(settings, tmp_path):
    # The lock lives in the data directory; a `make run` in this checkout must not block the tests.
    settings.DATA_DIR = tmp_path


@pytest.mark.django_db
def test_once_queues_a_replied_order_for_its_return_visit(replied_order, capsys):
    order = replied_order()
    assert not ReturnVisit.objects.filter(order=order).exists()
    call_command("run_schedule", "--once", "--job", "return-visit-sweep")
    assert ReturnVisit.objects.filter(order=order).exists()
    assert "return-visit-sweep: 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_an_unknown_job_is_refused_by_name():
    with pytest.raises(CommandError, match="unknown job nightly.*return-visit-sweep"):
        call_command("run_schedule", "--once", "--job", "nightly")


def test_a_schedule_entry_naming_no_task_is_refused():
    with pytest.raises(ValueError, match="'tidy'.*no task named 'jiesu.nothing'"):
        schedule.scheduled_jobs(app, {"tidy": {"task": "jiesu.nothing", "schedule": 60}})


@pytest.mark.django_db
def test_jobs_run_on_their_intervals_and_a_failure_stops_nothing(replied_order):
    start = app.now()
    clock = {"now": start}
    jobs = schedule.scheduled_jobs(
        app,
        {
            "sweep": {"task": "jiesu.followup.sweep", "schedule": 300.0},
            "broken": {"task": "tests.schedule.boom", "schedule": 120.0},
            "daily": {"task": "jiesu.followup.sweep", "schedule": timedelta(days=1)},
        },
        nowfun=lambda: clock["now"],
    )
    naps = []

    def sleep(seconds):
        naps.append(seconds)
        clock["now"] += timedelta(seconds=seconds)

    order = replied_order()
    schedule.run_forever(
        app,
        jobs,
        clock=lambda: clock["now"],
        sleep=sleep,
        should_stop=lambda: clock["now"] - start > timedelta(seconds=700),
    )
    sweep, broken, daily = jobs
    # Nothing runs at start-up; then every interval, whatever the neighbour job did.
    assert (sweep.runs, broken.runs, daily.runs) == (2, 5, 0)
    assert broken.failures == 5 and isinstance(broken.last_result, RuntimeError)
    assert sweep.failures == 0
    assert ReturnVisit.objects.filter(order=order).count() == 1
    assert max(naps) <= 30.0  # wakes often enough to notice a stop


def test_a_second_scheduler_on_the_same_data_is_refused(tmp_path):
    lock = tmp_path / "run-schedule.lock"
    with schedule.single_runner(lock):
        with pytest.raises(schedule.ScheduleLocked, match="another scheduler holds"):
            with schedule.single_runner(lock):
                pass
    with schedule.single_runner(lock):  # released on exit
        pass


def test_the_command_stops_on_sigterm_and_refuses_a_second_copy(tmp_path):
    """As `make run` uses it: a long-running process that a second copy cannot join and that a
    signal stops mid-nap (the trap in the Makefile sends SIGTERM when the server exits)."""
    import os
    import signal
    import subprocess
    import time

    from tests.live_server import BIN, REPO

    env = {**os.environ, "JIESU_DATA_DIR": str(tmp_path)}
    first = subprocess.Popen(
        [str(BIN / "jiesu"), "run-schedule"],
        env=env,
        cwd=REPO,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "run-schedule.lock").exists() or not (tmp_path / "run-schedule.lock").read_text():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.2)
        second = subprocess.run(
            [str(BIN / "jiesu"), "run-schedule", "--once"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert second.returncode != 0
        assert f"another scheduler holds {tmp_path / 'run-schedule.lock'} (pid {first.pid})" in second.stderr
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=15)  # a nap is up to 30 s: the signal must cut it
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert "return-visit-sweep" in out and out.rstrip().endswith("stopped")
