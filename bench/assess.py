"""Benchmark `jiesu assess`: one month of Beijing's volume (2M orders) on PostgreSQL.

Creates a database (default jiesu_bench_assess) on postgres://postgres@127.0.0.1:5432, migrates
it, loads the directory, writes one month of orders with SQL (INSERT ... SELECT over
generate_series, not the ORM: the point is the assessment, not the loader), then runs the
month's assessment in a fresh process and prints its wall time and peak RSS. Drops the database
afterwards unless --keep. Prints figures; asserts nothing. Target (issue 7): < 60 s, < 2 GB.

The month's shape: every order has a lead (township offices, departments, enterprises), 20% an
assisting unit, 1% a whistle with a report-in department; 90% of return visits valid; 0.5%
accepted objections, 0.3% certified unreasonable, 0.1% upheld appeals, 1% disputed replies.

    .venv/bin/python bench/assess.py [--orders 2000000] [--month 2026-11] [--keep]
    .venv/bin/python bench/assess.py --reuse --db jiesu_10m --month 2026-10   # into a kept history
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER = "postgres://postgres@127.0.0.1:5432"

RUN = r"""
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
django.setup()
from jiesu.assessment import services
month = services.parse_month(sys.argv[1])
t = time.monotonic()
run = services.run_assessment(month)
seconds = time.monotonic() - t
print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "lines": run.lines, "units": run.units, "deductions": run.deductions.count(),
                  "ranked": run.scores.filter(rank__isnull=False).count(), "digest": run.digest}))
"""


def sql_month(n: int, month: str, base_id: int = 0) -> list[str]:
    """Statements that write the month; ``base_id`` is the highest order id already stored (a
    kept database's history stays as it is: only the orders written here get parts, replies and
    visits)."""
    y, m = (int(x) for x in month.split("-"))
    start = f"{y:04d}-{m:02d}-01 00:00:00+08"
    return [
        # Units that lead and assist, numbered so that generate_series can pick them by index.
        """CREATE TEMP TABLE lead_pool AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM directory_unit
           WHERE kind IN ('subdistrict_office', 'district_department', 'city_department', 'enterprise') AND active""",
        """CREATE TEMP TABLE dept_pool AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM directory_unit
           WHERE kind IN ('district_department', 'city_department') AND active""",
        # Orders: received during the month, skewed towards the first units in the pool (busy ones).
        f"""INSERT INTO orders_workorder (number, received_at, channel, source_line, kind, status, requester_type,
              requester_name_enc, requester_phone_enc, requester_id_number_enc, requester_phone_index,
              requester_organisation, requester_confidential, content, content_sealed, text_key_id, text_key_enc,
              location_text, matter_code, catalog_version,
              lead_unit_id, due_at, created_at, updated_at)
            SELECT 'B' || lpad(s.g::text, 9, '0'), timestamptz '{start}' + (s.g % 2500000) * interval '1 second',
                   'phone', '12345', CASE WHEN s.g % 10 = 0 THEN 'consultation' ELSE 'complaint' END, 'closed',
                   'natural', '', '', '', '', '', false, '基准测试工单', '', '', '', '', '', '', lp.id,
                   timestamptz '{start}' + (s.g % 2500000) * interval '1 second' + interval '7 days', now(), now()
            FROM (SELECT g, 1 + floor(power(random(), 2) * (SELECT count(*) FROM lead_pool))::int AS k
                  FROM generate_series(1, {n}) g) s
            JOIN lead_pool lp ON lp.i = s.k""",
        "ANALYZE orders_workorder",
        f"""CREATE TEMP TABLE bench_orders AS SELECT id, lead_unit_id, received_at, due_at FROM orders_workorder
            WHERE id > {base_id}""",
        """INSERT INTO orders_orderunit (order_id, unit_id, role, active, response_due, due_at, assigned_at, accepted_at,
              first_contact_at, finished_at)
            SELECT id, lead_unit_id, 'lead', true, received_at + interval '1 day', due_at, received_at,
                   received_at + interval '1 hour', received_at + interval '3 hours',
                   due_at + CASE WHEN random() < 0.04 THEN interval '2 days' ELSE - interval '2 days' END
            FROM bench_orders""",
        """INSERT INTO orders_orderunit (order_id, unit_id, role, active, due_at, assigned_at)
            SELECT o.id, d.id, 'assist', true, o.due_at, o.received_at
            FROM bench_orders o JOIN dept_pool d ON d.i = 1 + (o.id % (SELECT count(*) FROM dept_pool))
            WHERE o.id % 5 = 0 AND d.id <> o.lead_unit_id""",
        # Accepted objections: the objecting unit's part ends (inactive), as dispatch does.
        """INSERT INTO orders_orderunit (order_id, unit_id, role, active, due_at, assigned_at)
            SELECT o.id, d.id, 'lead', false, o.due_at, o.received_at
            FROM bench_orders o JOIN dept_pool d ON d.i = 1 + ((o.id / 7) % (SELECT count(*) FROM dept_pool))
            WHERE o.id % 200 = 3 AND d.id <> o.lead_unit_id""",
        f"""INSERT INTO dispatch_objection (order_id, unit_id, grounds, reason, suggested_unit, raised_by_id, raised_at,
              status, decided_at, decision_note)
            SELECT ou.order_id, ou.unit_id, 'duty', '非本单位职责', '', (SELECT min(id) FROM directory_user), now(),
                   'accepted', now(), '异议成立'
            FROM orders_orderunit ou WHERE NOT ou.active AND ou.order_id > {base_id}""",
        # Whistles (1%): the lead blows, a department reports in.
        """INSERT INTO handling_whistle (order_id, office_id, note, blown_by_id, blown_at)
            SELECT id, lead_unit_id, '吹哨', (SELECT min(id) FROM directory_user), received_at + interval '1 hour'
            FROM bench_orders WHERE id % 100 = 7""",
        f"""INSERT INTO orders_orderunit (order_id, unit_id, role, active, due_at, assigned_at, accepted_at, finished_at)
            SELECT w.order_id, d.id, 'report_in', true, w.blown_at + interval '2 hours', w.blown_at,
                   w.blown_at + interval '30 minutes', w.blown_at + interval '90 minutes'
            FROM handling_whistle w JOIN dept_pool d ON d.i = 1 + ((w.order_id / 3) % (SELECT count(*) FROM dept_pool))
            WHERE d.id <> w.office_id AND w.order_id > {base_id}""",
        f"""INSERT INTO handling_reportin (whistle_id, department_id, part_id, due_at, acknowledged_at, arrived_at, acted_at,
              action_note, confirmed_at, office_satisfied, confirmation_note)
            SELECT w.id, ou.unit_id, ou.id, ou.due_at,
                   ou.assigned_at + CASE WHEN random() < 0.1 THEN interval '3 hours' ELSE interval '30 minutes' END,
                   ou.assigned_at + interval '1 hour', ou.finished_at, '已处置', ou.finished_at, random() < 0.85, ''
            FROM handling_whistle w JOIN orders_orderunit ou ON ou.order_id = w.order_id AND ou.role = 'report_in'
            WHERE w.order_id > {base_id}""",
        # Replies claiming "resolved"; 1% disputed by the requester.
        """INSERT INTO handling_reply (order_id, unit_id, result, unresolved_reason, public_text, internal_notes,
              replied_by_id, replied_at, on_time, disputed_at, dispute_note)
            SELECT id, lead_unit_id, 'resolved', '', '已办理', '', (SELECT min(id) FROM directory_user),
                   due_at - interval '2 days', true, CASE WHEN id % 100 = 11 THEN due_at END, ''
            FROM bench_orders WHERE id % 10 IN (1, 2, 3) OR id % 100 = 11""",
        # One return visit per order, 90% valid, answers drawn like a Beijing month (~97% contacted).
        f"""INSERT INTO followup_returnvisit (order_id, unit_id, round, reason, state, queued_at, reply_result, attempts,
              method, contacted, resolution, satisfaction, attitude_complaint, comments, invalid_reason, visited_at,
              outcome)
            SELECT id, lead_unit_id, 1, 'replied', CASE WHEN r < 0.9 THEN 'done' ELSE 'invalid' END, due_at - interval '2 days',
                   CASE WHEN id % 10 IN (1, 2, 3) THEN 'resolved' ELSE '' END, CASE WHEN r < 0.9 THEN 0 ELSE 3 END,
                   'phone', CASE WHEN r < 0.9 THEN random() < 0.97 END,
                   CASE WHEN r >= 0.9 THEN '' WHEN random() < 0.9 THEN 'resolved' WHEN random() < 0.5 THEN 'partly' ELSE 'unresolved' END,
                   CASE WHEN r >= 0.9 THEN '' WHEN random() < 0.85 THEN 'satisfied' WHEN random() < 0.6 THEN 'basic' ELSE 'unsatisfied' END,
                   random() < 0.005, '', CASE WHEN r < 0.9 THEN '' ELSE 'no_answer' END,
                   timestamptz '{start}' + (id % 2500000) * interval '1 second', 'closed'
            FROM (SELECT id, lead_unit_id, due_at, random() AS r FROM bench_orders) o""",
        """INSERT INTO assessment_certification (order_id, reason, by_id, at)
            SELECT id, '不合理诉求', (SELECT min(id) FROM directory_user), now() FROM bench_orders WHERE id % 1000 IN (5, 6, 8)""",
        f"""INSERT INTO assessment_appeal (order_id, unit_id, month, reason, evidence, filed_by_id, filed_at, status,
              decided_at, decision_note)
            SELECT id, lead_unit_id, date '{y:04d}-{m:02d}-01', '申诉', '', (SELECT min(id) FROM directory_user), now(),
                   'upheld', now(), '成立'
            FROM bench_orders WHERE id % 1000 = 9""",
        f"""INSERT INTO assessment_credit (unit_id, month, kind, points, note, by_id, at)
            SELECT id, date '{y:04d}-{m:02d}-01', 'proactive', 1.5, '每月一题', (SELECT min(id) FROM directory_user), now()
            FROM lead_pool WHERE i % 50 = 1""",
        "ANALYZE",
    ]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orders", type=int, default=2_000_000)
    ap.add_argument("--month", default="2026-11")
    ap.add_argument("--db", default="jiesu_bench_assess")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="write the month into the kept database --db as it is (no drop, migrate or demo; its orders stay)"
        " and keep it; the month is assessed with everything already stored in it",
    )
    args = ap.parse_args()
    url = f"{SERVER}/{args.db}"
    env = {**os.environ, "DATABASE_URL": url, "JIESU_LOG_LEVEL": "WARNING"}
    if args.reuse:
        args.keep = True
    else:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.db}"')
            admin.execute(f'CREATE DATABASE "{args.db}"')
    try:
        t = time.monotonic()
        if not args.reuse:
            subprocess.run(
                [str(BIN / "jiesu"), "migrate", "--noinput"], env=env, check=True, capture_output=True, cwd=REPO
            )
            subprocess.run([str(BIN / "jiesu"), "demo"], env=env, check=True, capture_output=True, cwd=REPO)
            print(f"schema, directory and users: {time.monotonic() - t:.1f}s", flush=True)
        t = time.monotonic()
        with psycopg.connect(url) as conn:
            base_id, stored = conn.execute("SELECT coalesce(max(id), 0), count(*) FROM orders_workorder").fetchone()
            if stored:
                print(f"kept database {args.db}: {stored:,} orders stored before the month", flush=True)
            for statement in sql_month(args.orders, args.month, base_id):
                conn.execute(statement)
            conn.commit()
            counts = {
                table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("orders_workorder", "orders_orderunit", "followup_returnvisit")
            }
            y, m = (int(x) for x in args.month.split("-"))
            counts["orders received in the month"] = conn.execute(
                "SELECT count(*) FROM orders_workorder WHERE received_at >= %s::timestamp AT TIME ZONE 'Asia/Shanghai'"
                " AND received_at < (%s::timestamp + interval '1 month') AT TIME ZONE 'Asia/Shanghai'",
                (f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-01"),
            ).fetchone()[0]
        print(f"generated {counts} in {time.monotonic() - t:.1f}s", flush=True)
        figures = []
        for attempt in (1, 2):  # twice: the second run shows the digest is reproducible
            out = subprocess.run(
                [sys.executable, "-c", RUN, args.month], env=env, check=True, capture_output=True, text=True, cwd=REPO
            )
            figures.append(json.loads(out.stdout.strip().splitlines()[-1]))
            f = figures[-1]
            print(
                f"assess {args.month} run {attempt}: {f['seconds']:.1f}s, peak RSS {f['peak_rss_mb']:.0f} MB, "
                f"{f['lines']:,} lines, {f['units']:,} units ({f['ranked']:,} ranked), "
                f"{f['deductions']:,} deductions, digest {f['digest'][:16]}",
                flush=True,
            )
        print(f"reproducible: {figures[0]['digest'] == figures[1]['digest']}; cores: {os.cpu_count()}")
    finally:
        if not args.keep:
            with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')


if __name__ == "__main__":
    main()
