#!/usr/bin/env python
"""Where one worker's intake POST spends its CPU: POST /api/v1/orders/ in-process, through
Django's WSGI handler (every middleware, DRF, knox's token check, the view, the JSON answer: what
gunicorn calls, without gunicorn's own parsing), on a kept database, under cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiesu_intake_bench JIESU_DATA_DIR=/tmp/intake-bench \\
        .venv/bin/python bench/intake_profile.py --requests 300 --top 35

Warms the worker first (the engine and the directory built, as in a running server), then
times --requests POSTs without the profiler (CPU and wall per POST: the figure to compare),
then profiles another --requests (CPU time, not wall) and prints the top entries by own time and by
cumulative time.
`--save FILE` keeps the pstats file; `--app DIR` profiles another checkout (a worktree of main) with this script.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


class _Collections:
    """The cyclic garbage collector's CPU time and runs, by generation (a gc callback)."""

    def __init__(self):
        self.seconds, self.counts, self._start = 0.0, [0, 0, 0], 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.seconds += time.process_time() - self._start
            self.counts[info["generation"]] += 1


def profile_handling(args, call, ns) -> None:
    """bench/lifecycle.py's three handling steps: each order filed (not counted) by the demo's
    call-taker with a new caller, then accepted, contacted and replied by the 望京 handler; timed
    without the profiler, then profiled."""
    from lifecycle import TEXTS

    steps = (
        ("accept", {}),
        ("contact", {"method": "phone", "outcome": "reached"}),
        ("reply", {"result": "resolved", "public_text": "经协调物业公司，问题已处理完毕，感谢您的反映。"}),
    )
    start = int(time.time() * 1000) % 10**7 * 10  # callers new to the database (170 + 8 digits)

    def orders(n: int, offset: int) -> list[str]:
        numbers = []
        for i in range(offset, offset + n):
            body = {
                "channel": "phone",
                "kind": "complaint",
                "content": TEXTS[i % 2],
                "requester_phone": f"170{(start + i) % 10**8:08d}",
            }
            code, content = call("/api/v1/orders/", body, ns["calltaker"])
            answer = json.loads(content)
            if code == 201 and answer["status"] == "pending_review":
                # The engine asks for review (its gate is stricter than when lifecycle.py's texts
                # were chosen): the demo dispatcher takes its suggestion, as one key in the queue.
                from jiesu.dispatch.services import accept_suggestion
                from jiesu.orders.models import WorkOrder

                order = WorkOrder.objects.get(number=answer["number"])
                answer["status"] = accept_suggestion(order, actor=ns["dispatcher"]).status
            if code != 201 or answer["status"] != "dispatched":
                raise SystemExit(f"intake {code} {answer.get('status')}: not dispatched")
            numbers.append(answer["number"])
        return numbers

    def handle(numbers: list[str], cpu: dict) -> dict:
        codes: dict[str, int] = {}
        for number in numbers:
            for step, body in steps:
                c = time.process_time()
                code, _ = call(f"/handling/api/orders/{number}/{step}/", body, ns["handler"])
                cpu[step] = cpu.get(step, 0.0) + time.process_time() - c
                codes[f"{step} {code}"] = codes.get(f"{step} {code}", 0) + 1
        return codes

    handle(orders(args.warmup, 0), {})
    if args.queries:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        number = orders(1, args.warmup)[0]
        for step, body in steps:
            with CaptureQueriesContext(connection) as captured:
                call(f"/handling/api/orders/{number}/{step}/", body, ns["handler"])
            print(f"\n--- {step}: {len(captured)} statements ---")
            for query in captured:
                print(f"{query['time']:>6}s  {query['sql'][:400]}")
        return
    timed = orders(args.requests, args.warmup)
    cpu: dict = {}
    codes = handle(timed, cpu)
    print(f"database          {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}  stored orders {ns['stored']():,}")
    print(f"statuses          {codes}")
    for step, _ in steps:
        print(
            f"{step:8} CPU {cpu[step] / len(timed) * 1000:.2f} ms per request ({len(timed)}, in-process, no profiler)"
        )
    print(f"load average      {os.getloadavg()[0]:.2f} (1 min)")
    if args.no_profile:
        return
    profiled = orders(args.requests, args.warmup + args.requests)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    handle(profiled, {})
    profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        text = out.getvalue()
        print(f"\n--- top {args.top} by {key} (over {len(profiled)} x 3 handling requests; times are totals) ---")
        print(text[text.find("   ncalls") :])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--save", help="write the pstats file here")
    ap.add_argument("--no-profile", action="store_true", help="only the timed run")
    ap.add_argument(
        "--handling",
        action="store_true",
        help="the unit's accept, contact and reply (bench/lifecycle.py's steps, the demo's 望京 handler) "
        "on orders the intake POST dispatched, instead of the intake POST",
    )
    ap.add_argument("--queries", action="store_true", help="with --handling: print each step's statements, once")
    ap.add_argument("--app", help="profile this checkout of the code (default: the one the script is in)")
    args = ap.parse_args()
    # First on the path: ahead of the editable install, which may be another checkout's.
    sys.path.insert(0, str(Path(args.app).resolve() if args.app else ROOT))
    if "DATABASE_URL" not in os.environ or "JIESU_DATA_DIR" not in os.environ:
        raise SystemExit("set DATABASE_URL and JIESU_DATA_DIR (the kept bench database and its data directory)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    os.environ.setdefault("JIESU_API_RATE_USER", "off")
    os.environ.setdefault("JIESU_LOG_LEVEL", "ERROR")

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from httpload import make_payloads

    ns: dict = {}
    exec(_SETUP, ns)
    token, places = ns["token"], ns["places"]
    app = WSGIHandler()
    payloads = make_payloads(args.warmup + 2 * args.requests, places, seed=int(time.time()))
    run_id = uuid.uuid4().hex[:8]

    def call(path: str, body: dict, auth: str, key: str = "") -> tuple[int, bytes]:
        raw = json.dumps(body, ensure_ascii=False).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "HTTP_AUTHORIZATION": f"Token {auth}",
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        if key:
            environ["HTTP_IDEMPOTENCY_KEY"] = key
        status: list[str] = []
        result = app(environ, lambda s, h, exc_info=None: status.append(s))
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return int(status[0].split()[0]), content

    def post(i: int, body: dict) -> int:
        return call("/api/v1/orders/", body, token, f"profile-{run_id}-{i}")[0]

    if args.handling:
        return profile_handling(args, call, ns)

    codes: dict[int, int] = {}
    for i, body in enumerate(payloads[: args.warmup]):
        code = post(i, body)
        codes[code] = codes.get(code, 0) + 1
    timed = payloads[args.warmup : args.warmup + args.requests]
    collector = _Collections()
    gc.callbacks.append(collector)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i, body in enumerate(timed, start=args.warmup):
        code = post(i, body)
        codes[code] = codes.get(code, 0) + 1
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    gc.callbacks.remove(collector)
    print(f"database          {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}  stored orders {ns['stored']():,}")
    print(f"statuses          {codes}")
    print(
        f"per POST          CPU {cpu / len(timed) * 1000:.2f} ms   wall {wall / len(timed) * 1000:.2f} ms   "
        f"({len(timed)} POSTs, one thread, in-process, no profiler)"
    )
    print(
        f"garbage collector {collector.seconds / len(timed) * 1000:.2f} ms per POST of that CPU "
        f"(collections by generation {collector.counts})"
    )
    print(f"load average      {os.getloadavg()[0]:.2f} (1 min)")
    if args.no_profile:
        return
    # CPU time, not wall: the statements' round trips to the server are not the worker's CPU.
    profiler = cProfile.Profile(time.process_time)
    rest = payloads[args.warmup + args.requests :]
    profiler.enable()
    for i, body in enumerate(rest, start=args.warmup + args.requests):
        post(i, body)
    profiler.disable()
    if args.save:
        profiler.dump_stats(args.save)
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key)
        stats.print_stats(args.top)
        text = out.getvalue()
        print(f"\n--- top {args.top} by {key} (over {len(rest)} POSTs; times are totals) ---")
        print(text[text.find("   ncalls") :])


# A call-taker's token and real communities, as bench/httpload.py's TOKEN_SCRIPT gives the
# HTTP bench (that one prints them from `jiesu shell`).
_SETUP = """
import random
from jiesu.api import tokens
from jiesu.directory.models import Place, Unit, User
from jiesu.orders.models import WorkOrder
unit = Unit.objects.get(code="centre")
# A user of its own: a bench running beside it keeps its token.
user, _ = User.objects.get_or_create(username="bench-profiler", defaults={"role": "call_taker", "unit": unit,
                                     "display_name": "压测话务员"})
user.auth_token_set.all().delete()  # one live token (knox reads them all on every request)
token = tokens.issue(user, days=1)[1]
rows = list(Place.objects.filter(level="community").exclude(name__contains="虚拟")
            .select_related("parent", "district").order_by("code"))
random.Random(7).shuffle(rows)
places = [[p.district.name, p.parent.name, p.name.removesuffix("社区")] for p in rows[:500]]
stored = WorkOrder.objects.count
# The demo's call-taker and 望京 handler, as bench/lifecycle.py drives them (--handling).
calltaker = handler = None
dispatcher = User.objects.filter(username="dispatcher").first()
for name in ("calltaker", "handler"):
    demo_user = User.objects.filter(username=name).first()
    if demo_user is not None:
        demo_user.auth_token_set.all().delete()
        globals()[name] = tokens.issue(demo_user, days=1)[1]
"""


if __name__ == "__main__":
    main()
