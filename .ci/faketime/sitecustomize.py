"""Python under libfaketime, for CI's shifted-clock runs only (.ci/run puts this folder on
PYTHONPATH for them, so every Python process of the run loads it: pytest, gunicorn, jiesu).

libfaketime 0.9.10 (Debian 12) cannot shift the wall clock without breaking one of Python's
waits: with the monotonic clock faked too, every timed lock wait (sem_clockwait, which it does
not intercept) waits for the whole shift, so Event.wait(0.3) hangs; with the monotonic clock left
real (FAKETIME_DONT_FAKE_MONOTONIC=1), clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), which
time.sleep uses since Python 3.11, fails with EINVAL (libfaketime issue 426). The runs keep the
monotonic clock real, and time.sleep waits with select(), whose timeout is relative.
"""

import os

if os.environ.get("FAKETIME") and "faketime" in os.environ.get("LD_PRELOAD", ""):
    import select
    import time

    _monotonic = time.monotonic

    def _sleep(secs: float) -> None:
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = _monotonic() + secs
        while (remaining := deadline - _monotonic()) > 0:
            select.select([], [], [], remaining)

    time.sleep = _sleep
