"""Bulk generator of a realistic year of Beijing 12345 work orders (`jiesu demo --orders N`).

What it writes, per order: the WorkOrder (number ``YYMMDD-NNNNN`` from the per-day counter,
received_at over the last year with a daily and weekly rhythm and seasonal matters, channel,
source line, kind, encrypted requester, place from the directory), and for dispatched orders
the OrderUnit rows (lead + the district government supervising) and the order's events. Every
event is made and written by the helpers ``orders.services`` itself uses (``created_event``,
``dispatched_event``, ``new_event``, then ``write_events`` for the whole batch), so the event
shape is defined once; free text in them is sealed under the order's key as it is written.

Speed (1M orders in minutes, not hours) comes from:
- one pass of plain tuples, turned into model instances per batch; on PostgreSQL orders, parts
  and events go in with COPY, elsewhere (SQLite) through ``bulk_create`` in large batches;
- requester identities encrypted once (``WorkOrder.set_requester``) and reused for repeat
  callers;
- order numbers reserved per day up front where intake takes them (``jiesu.orders.numbering``:
  PostgreSQL's per-day sequences, SQLite's ``OrderNumberCounter``), so later real intakes, and
  a second run, continue after them.

Reproducible: the same seed, end day and database state give the same orders (ciphertexts
differ, Fernet uses a random IV). A second run appends more orders.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import operator
import os
import pickle
import queue
import random
import re
import signal
import string
import sys
import threading
import time
import traceback
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.utils import timezone

from jiesu.directory.models import Place, Unit, User
from jiesu.dispatch.runtime import current_engine
from jiesu.engine.deadlines import unit_deadlines
from jiesu.engine.places import COMMUNITY, DISTRICT, township_aliases
from jiesu.orders import choices, numbering, partitions, services
from jiesu.orders.models import OrderEvent, OrderNumberCounter, OrderUnit, WorkOrder, search_keys

from . import lifecycle, texts

BATCH = 20_000
PROGRESS_EVERY = 100_000

CHANNEL_WEIGHTS = (
    ("phone", 70),
    ("app", 9),
    ("wechat", 8),
    ("web", 6),
    ("sms", 2),
    ("email", 1),
    ("api", 3),
    ("media", 1),
)
ONLINE_CHANNELS = {"app", "wechat", "web", "api", "email"}
# Calls per hour of the day (the line answers 24/7; most calls come in office hours).
HOUR_WEIGHTS = (
    1.0,
    0.6,
    0.4,
    0.3,
    0.3,
    0.5,
    1.0,
    2.2,
    4.5,
    7.0,
    8.0,
    7.2,
    5.0,
    5.5,
    7.0,
    7.0,
    6.5,
    5.2,
    4.2,
    4.0,
    4.0,
    3.5,
    2.5,
    1.5,
)
WEEKDAY_FACTOR = (1.18, 1.06, 1.03, 1.02, 1.0, 0.74, 0.70)  # Monday first
# Share of orders placed in the demo handlers' subdistrict (望京街道), so that the handler and the
# unit admin log in to a busy unit, as the busiest Beijing subdistricts are.
DEMO_UNIT_SHARE = 0.06
DEMO_UNIT_RECENT_SHARE = 0.35  # the last two weeks: the demo handler's queue has work in every state
DEMO_UNIT_LAST_MONTH_DAYS = 21  # and the first three weeks of last month (its assessment)
REPEAT_CALLER = 0.42  # share of orders from someone who has called before
HOME_PLACE = 0.78  # a repeat caller mostly calls about the place they live in


# ---------------------------------------------------------------------------------------------
# Directory snapshot


class _Directory:
    """Everything the generator needs from the directory, read once."""

    def __init__(self) -> None:
        places = list(
            Place.objects.filter(active=True).values_list("id", "code", "name", "level", "parent_id", "district_id")
        )
        by_id = {p[0]: p for p in places}
        self.districts = {p[0]: p for p in places if p[3] == DISTRICT}
        units = Unit.objects.filter(active=True).values_list("id", "code", "name", "kind")
        self.units = {code: (uid, code, name, kind) for uid, code, name, kind in units}
        self.always_on = set(Unit.objects.filter(active=True, always_on=True).values_list("id", flat=True))
        self.communities: dict[int, list[tuple]] = {}  # district id -> community records
        for pid, _code, name, level, parent_id, district_id in sorted(places, key=lambda p: p[1]):
            if level != COMMUNITY or "虚拟" in name or parent_id not in by_id:
                continue
            district = self.districts.get(district_id)
            township = by_id[parent_id]
            if not district:
                continue
            short = name
            for suffix in ("社区居委会", "居委会", "村委会", "社区"):
                if short.endswith(suffix) and len(short) > len(suffix) + 1:
                    short = short[: -len(suffix)]
                    break
            # 西罗园第四社区 is the fourth committee of 西罗园: callers say 西罗园.
            short = re.sub(r"(.{2,})第[一二三四五六七八九十]+$", r"\1", short)
            town_short = township_aliases(township[2])
            self.communities.setdefault(district_id, []).append(
                (
                    pid,
                    township[0],
                    district_id,
                    district[2],
                    township[2],
                    short,
                    name.endswith("村"),
                    town_short[0] if town_short else township[2],
                    township[1],
                    district[1],
                )
            )
        ordered = sorted(self.communities, key=lambda d: self.districts[d][1])
        if not ordered:
            raise RuntimeError("the directory has no communities: run `jiesu demo` (it loads the directory) first")
        self.district_ids = ordered
        self.district_cum = list(
            itertools.accumulate(texts.DISTRICT_WEIGHTS.get(self.districts[d][2], 0.5) for d in ordered)
        )
        self.centre = self.units.get("centre")
        self.demo_places = [
            c for cs in self.communities.values() for c in cs if c[4] == "望京街道" and c[3] == "朝阳区"
        ]

    def unit(self, code: str):
        return self.units.get(code)

    def assignee(self, unit: tuple) -> Unit:
        """An unsaved Unit holding what a dispatch event says of it (code and name)."""
        cache = self.__dict__.setdefault("_assignees", {})
        if unit[0] not in cache:
            uid, code, name, kind = unit
            cache[uid] = Unit(id=uid, code=code, name=name, kind=kind)
        return cache[unit[0]]


class _Handlers:
    """One handler per unit that answers orders: the demo's own handler for its unit, else a user
    made once per unit (no usable password: nobody signs in as them; they stand for the unit's
    staff on replies and events)."""

    def __init__(self) -> None:
        handlers = User.objects.filter(role="unit_handler").order_by("-username").only("id", "unit_id")
        self.users = {user.unit_id: user for user in handlers}
        demo = User.objects.filter(username="handler").only("id", "unit_id").first()
        if demo:
            self.users[demo.unit_id] = demo

    def user_for(self, unit: tuple) -> User:
        uid, _code, name, _ = unit
        if uid not in self.users:
            # get_or_create: another writer process may make the same unit's handler first.
            user, _ = User.objects.get_or_create(
                # Named by the unit's number, not its code: a unit admin reads the account list.
                username=f"staff{uid:05d}",
                defaults={
                    "role": "unit_handler",
                    "unit_id": uid,
                    "display_name": f"{name}承办人"[:50],
                    "password": make_password(None),  # unusable
                },
            )
            self.users[uid] = user
        return self.users[uid]


def _demo_actor(username: str, role: str) -> User | None:
    """The demo user of `role` (any active one when the demo user is missing), as the events' actor."""
    user = User.objects.filter(username=username, role=role).only("id", "unit_id").first()
    return user or User.objects.filter(role=role, is_active=True).order_by("id").only("id", "unit_id").first()


# ---------------------------------------------------------------------------------------------
# Texts


_FORMATTER = string.Formatter()


def _prepare_matters():
    """Matters with parsed templates: (spec, [(kind, text, slot names)], cumulative weights per month)."""
    prepared = []
    for spec in texts.MATTERS:
        tpls = [
            (kind, text, tuple(dict.fromkeys(f for _, f, _, _ in _FORMATTER.parse(text) if f)))
            for kind, text in spec.templates
        ]
        prepared.append((spec, tpls))
    month_cum = []
    month_total = []
    for m in range(12):
        weights = [spec.weight * spec.season[m] for spec, _ in prepared]
        month_cum.append(list(itertools.accumulate(weights)))
        month_total.append(sum(weights))
    mean = sum(month_total) / 12
    month_factor = [t / mean for t in month_total]
    return prepared, month_cum, month_factor


def _slot_functions(rng: random.Random):
    choice, randint = rng.choice, rng.randint
    letters = "ABCEFGHJKLMNPQ"

    def plate(_):
        return f"京{choice(letters)}{randint(0, 99999):05d}"

    def fee(_):
        old = randint(12, 35) / 10
        return f"{old:.1f}元涨到了{old + randint(4, 15) / 10:.1f}元"

    return {
        "addr": lambda c: c["addr"],
        "cm": lambda c: c["cm"],
        "estate": lambda c: c["cm"] if c["village"] or c["cm"].endswith("小区") else c["cm"] + "小区",
        "dist": lambda c: c["dist"],
        "pm": lambda c: f"{choice(texts.PROPERTY_WORDS)}物业",
        "when": lambda c: choice(texts.WHEN),
        "night": lambda c: choice(texts.NIGHT),
        "days": lambda c: str(randint(2, 20)),
        "n": lambda c: str(randint(2, 12)),
        "months": lambda c: str(randint(2, 8)),
        "age": lambda c: str(randint(62, 93)),
        "temp": lambda c: str(randint(12, 17)),
        "hour": lambda c: str(randint(6, 22)),
        "money": lambda c: str(randint(3, 120) * 500),
        "spot": lambda c: choice(texts.SPOTS),
        "shop": lambda c: choice(texts.SHOP_WORDS) + choice(texts.SHOP_TYPES),
        "company": lambda c: f"北京{choice(texts.ORG_WORDS)}{choice(texts.ORG_TRADES)}有限公司",
        "job": lambda c: choice(texts.JOBS),
        "child": lambda c: choice(texts.CHILD),
        "goods": lambda c: choice(texts.GOODS),
        "plate": plate,
        "fee": fee,
        "hospital": lambda c: choice(
            (f"{c['town']}社区卫生服务中心", f"{c['dist']}妇幼保健院", "一家三甲医院", "家附近的社区卫生服务站")
        ),
    }


# ---------------------------------------------------------------------------------------------
# People


class _People:
    """Requester identities: made on first call, encrypted once, reused for repeat callers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pool: list[tuple] = []
        self.surnames = [s for s, _ in texts.SURNAMES]
        self.surname_cum = list(itertools.accumulate(w for _, w in texts.SURNAMES))
        self._scratch = WorkOrder()

    def name(self) -> str:
        rng = self.rng
        surname = rng.choices(self.surnames, cum_weights=self.surname_cum)[0]
        given = rng.choice(texts.GIVEN_CHARS)
        if rng.random() < 0.72:
            given += rng.choice(texts.GIVEN_CHARS)
        return surname + given

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.86:
            return f"{rng.choice(texts.MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
        return f"010-{rng.choice('5678')}{rng.randrange(10**7):07d}"

    def id_number(self) -> str:
        rng = self.rng
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 66))
        body = f"{rng.choice(texts.ID_REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
        check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
        return body + check

    def new(self, home) -> tuple:
        rng = self.rng
        scratch = self._scratch
        scratch.set_requester(
            name=self.name(), phone=self.phone(), id_number=self.id_number() if rng.random() < 0.22 else ""
        )
        person = (
            scratch.requester_name_enc,
            scratch.requester_phone_enc,
            scratch.requester_id_number_enc,
            scratch.requester_phone_index,
            home,
            # ciphertext -> plain value, so that the request is masked as it is sealed without
            # decrypting what was just encrypted (WorkOrder._decrypt reads it)
            dict(scratch._encrypted_here),
        )
        self.pool.append(person)
        return person

    def repeat(self) -> tuple | None:
        if not self.pool:
            return None
        # Skewed towards early callers: a few people call very often.
        return self.pool[int(len(self.pool) * self.rng.random() ** 2.2)]


# ---------------------------------------------------------------------------------------------
# Writers


ORDER_FIELDS = [
    "id",
    "number",
    "received_at",
    "channel",
    "source_line",
    "kind",
    "status",
    "requester_type",
    "requester_name_enc",
    "requester_phone_enc",
    "requester_id_number_enc",
    "requester_phone_index",
    "requester_organisation",
    "requester_confidential",
    "content",
    "location_text",
    "district_id",
    "subdistrict_id",
    "community_id",
    "latitude",
    "longitude",
    "matter_code",
    "lead_unit_id",
    "response_due",
    "due_at",
    "related_order_id",
    "created_by_id",
    "created_at",
    "updated_at",
]
UNIT_FIELDS = [
    "id",
    "order_id",
    "unit_id",
    "role",
    "active",
    "response_due",
    "due_at",
    "assigned_at",
    "accepted_at",
    "first_contact_at",
    "finished_at",
]


class _Table:
    """How one model's rows are written: our tuples (in `fields` order) padded with field defaults.

    Rows are plain tuples for speed; fields the generator does not know about (a column added
    later) get their model default, so a new nullable or defaulted field needs no change here.
    """

    def __init__(self, model, fields: list[str]) -> None:
        self.model = model
        concrete = model._meta.concrete_fields
        by_attname = {f.attname: f for f in concrete}
        unknown = [name for name in fields if name not in by_attname]
        if unknown:
            raise RuntimeError(f"{model.__name__} has no field(s) {unknown}: update jiesu.demo.orders")
        extra = [f for f in concrete if f.attname not in fields]
        self.defaults = tuple(f.get_default() for f in extra)
        position = {name: i for i, name in enumerate(fields)}
        position.update({f.attname: len(fields) + i for i, f in enumerate(extra)})
        self.attnames = [f.attname for f in concrete]
        self.columns = [f.column for f in concrete]
        self.pick = operator.itemgetter(*(position[a] for a in self.attnames))

    def full(self, row: tuple) -> tuple:
        return self.pick(row + self.defaults)


class _Writer:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.orders = _Table(WorkOrder, ORDER_FIELDS)
        self.units = _Table(OrderUnit, UNIT_FIELDS)
        self._unit_districts: dict[int, int | None] | None = None

    def unit_districts(self) -> dict[int, int | None]:
        if self._unit_districts is None:
            self._unit_districts = dict(Unit.objects.values_list("pk", "district_id"))
        return self._unit_districts

    def allocate_ids(self, count: int) -> list[int]:
        """Primary keys for the next `count` orders (children need them before the insert)."""
        table = WorkOrder._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count]
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: the batch transaction holds the write lock, so max(id) is ours.
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def write(self, orders: list[WorkOrder], units: list[tuple], events: list[OrderEvent]) -> None:
        """Orders (instances, with their keys), their parts (tuples) and their events (made by
        orders.services, written by its write_events)."""
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Checking foreign keys row by row as COPY goes is much cheaper than queueing
                # millions of deferred checks for the commit.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                attnames = self.orders.attnames
                # The order's search keys (migrations orders 0018, 0019) go in with it: left to
                # the triggers, every order would be written twice (its district government's
                # part).
                districts = self.unit_districts()
                parts: dict[int, list] = {}
                for part in units:
                    parts.setdefault(part[1], []).append((part[2], districts.get(part[2])))
                rows = (
                    [*(getattr(o, a) for a in attnames), sorted(search_keys(o.district_id, parts.get(o.pk, ())))]
                    for o in orders
                )
                self._copy(self.orders, rows, skip_id=False, full=False, extra=("unit_keys",))
                self._copy(self.units, units, skip_id=True)
                services.write_events(events, notify=False)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            WorkOrder.objects.bulk_create(orders, batch_size=2000)
            full = self.units.full
            OrderUnit.objects.bulk_create([OrderUnit(*full(row)) for row in units], batch_size=4000)
            services.write_events(events, notify=False)

    def add(self, model, instances: list) -> None:
        """Rows of another model (replies, visits) as bulk_create would prepare them, by COPY
        on PostgreSQL (no statement to compile per batch)."""
        if self.vendor != "postgresql" or not instances:
            model.objects.bulk_create(instances, batch_size=2000)
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in instances]
        cols = ", ".join(f'"{f.column}"' for f in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)

    @staticmethod
    def _copy(table: _Table, rows, *, skip_id: bool, full: bool = True, extra: tuple[str, ...] = ()) -> None:
        # The id column is first; children leave it to the database. `extra`: columns outside
        # the model, after the model's in each row.
        columns = [*(table.columns[1:] if skip_id else table.columns), *extra]
        cols = ", ".join(f'"{c}"' for c in columns)
        full = table.full if full else (lambda row: row)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{table.model._meta.db_table}" ({cols}) FROM STDIN') as copy:
                write = copy.write_row
                if skip_id:
                    for row in rows:
                        write(full(row)[1:])
                else:
                    for row in rows:
                        write(full(row))

    def finish(self) -> None:
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (WorkOrder, OrderUnit, OrderEvent, OrderNumberCounter):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')


class _Sink:
    """Writes batches of orders, on PostgreSQL in a second thread so that Python builds the
    next batch while the server ingests this one (2 cores: one each)."""

    def __init__(self, writer: _Writer, *, creator: User | None, threaded: bool) -> None:
        self.writer = writer
        self.creator = creator  # who took the calls (the created events' actor)
        self.totals = {"units": 0, "events": 0}
        self.error: BaseException | None = None
        self.queue: queue.Queue | None = None
        if threaded:
            self.queue = queue.Queue(maxsize=2)
            self.thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
            self.thread.start()

    def put(self, batch: list[tuple]) -> None:
        if self.queue is None:
            self._write(batch)
            return
        while True:
            if self.error:
                raise RuntimeError("writing demo orders failed") from self.error
            try:
                self.queue.put(batch, timeout=1)
                return
            except queue.Full:
                continue

    def close(self) -> dict:
        if self.queue is not None:
            self.queue.put(None)
            self.thread.join()
            if self.error:
                raise RuntimeError("writing demo orders failed") from self.error
        return self.totals

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if not self.error:
                    self._write(batch)
        except BaseException as exc:  # handed to the producer on its next put()
            self.error = exc
            while self.queue.get() is not None:
                pass
        finally:
            connections.close_all()

    def _write(self, batch: list[tuple]) -> None:
        from jiesu.followup.models import ReturnVisit
        from jiesu.handling.models import Reply

        writer = self.writer
        full = writer.orders.full
        orders, units, events, replies, visits = [], [], [], [], []
        with transaction.atomic():
            ids = writer.allocate_ids(len(batch))
            for oid, (row, order_units, dispatch, history, outcome, plain) in zip(ids, batch):
                order = WorkOrder(*full((oid,) + row))
                # Sealed and masked as intake seals a new order (WorkOrder.save), with a key of its
                # own made now: the history goes in finished, and seal_existing has nothing left
                # to read back and write again.
                order._encrypted_here = plain
                order.seal_content(order.content)
                orders.append(order)
                units.extend((None, oid) + u for u in order_units)
                order_events = [services.created_event(order, actor=self.creator, bulk=True)]
                if dispatch is not None:
                    actor, automatic, assignments, extra, assigned_at = dispatch
                    order_events.append(
                        services.dispatched_event(
                            order,
                            actor=actor,
                            assignments=assignments,
                            data=extra,
                            automatic=automatic,
                            now=assigned_at,
                            from_status=choices.RECEIVED,
                            bulk=True,
                        )
                    )
                order_events.extend(
                    services.new_event(
                        order, at=at, actor=who, action=act, from_status=old, to_status=new, data=data, bulk=True
                    )
                    for at, who, act, old, new, data in history
                )
                events.extend(order_events)
                if outcome is not None and outcome.reply:
                    result, reason, public, internal, by, at, on_time = outcome.reply
                    replies.append(
                        Reply(
                            order_id=oid,
                            unit_id=order.lead_unit_id,
                            result=result,
                            unresolved_reason=reason,
                            public_text=public,
                            internal_notes=internal,
                            replied_by_id=by,
                            replied_at=at,
                            on_time=on_time,
                        )
                    )
                if outcome is not None and outcome.visit:
                    visits.append(ReturnVisit(order_id=oid, **dict(zip(lifecycle.VISIT_FIELDS, outcome.visit))))
            writer.write(orders, units, events)
            writer.add(Reply, replies)
            writer.add(ReturnVisit, visits)
        self.totals["units"] += len(units)
        self.totals["events"] += len(events)


def _reserve_numbers(counts: dict[date, int]) -> dict[date, list[int]]:
    """Each day's running numbers, taken where intake takes them (jiesu.orders.numbering)."""
    return numbering.reserve(counts)


# ---------------------------------------------------------------------------------------------
# The generator


def _holiday(day: date) -> bool:
    try:
        import chinese_calendar

        return chinese_calendar.is_holiday(day) and day.weekday() < 5
    except (ImportError, NotImplementedError):
        return False


def default_workers() -> int:
    """Processes writing at once on PostgreSQL: one per core (the server ingests alongside)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class _Crew:
    """`count` processes forked from this one, each writing its share of the days.

    The first (this process) goes on as index 0; each other process gets its own index, writes,
    sends what it counted through a pipe and exits in `gather`. A failure anywhere fails the run:
    a child's traceback is raised in the first process, and a failing first process stops the
    others (what they committed stays: each batch is its own transaction, as in one process).
    """

    def __init__(self, count: int) -> None:
        # A connection is never shared across fork (two processes on one socket): each process
        # opens its own, the first one again.
        connections.close_all()
        self.index = 0
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self.pipe: int | None = None
        for index in range(1, count):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                for _pid, other in self.children:
                    os.close(other)
                self.index, self.children, self.pipe = index, [], write
                return
            os.close(write)
            self.children.append((pid, read))

    def gather(self, mine) -> list:
        """In a child: send `mine` and exit. In the first process: the children's results."""
        if self.pipe is not None:
            self._send(("ok", mine), code=0)
        results, failures = [], []
        for pid, read in self.children:
            with os.fdopen(read, "rb") as stream:
                payload = stream.read()
            _, status = os.waitpid(pid, 0)
            outcome, value = pickle.loads(payload) if payload else ("error", f"exit status {status}")
            if outcome == "ok" and status == 0:
                results.append(value)
            else:
                failures.append(str(value))
        self.children = []
        if failures:
            raise RuntimeError("a demo writer process failed:\n" + "\n".join(failures))
        return results

    def fail(self) -> None:
        if self.pipe is not None:
            self._send(("error", traceback.format_exc()), code=1)
        for pid, read in self.children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            os.close(read)
        self.children = []

    def _send(self, message, *, code: int) -> None:
        try:
            with os.fdopen(self.pipe, "wb") as stream:
                stream.write(pickle.dumps(message))
            connections.close_all()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def generate_orders(
    n: int,
    *,
    seed: int = 12345,
    stdout=None,
    end: date | None = None,
    days: int = 365,
    older: bool = False,
    workers: int | None = None,
) -> str:
    """Write `n` historical orders spread over the `days` days before `end` (default: today).
    `older`: history that ends before the recent year (jiesu.demo.history): its last days are not
    today's, so nothing in it is left open or crowded into the demo unit's queue. `workers`:
    processes writing at once on PostgreSQL outside a transaction (default one per core)."""
    out = stdout or sys.stdout
    started = time.monotonic()
    tz = ZoneInfo(settings.TIME_ZONE)
    end = end or timezone.localdate()
    directory = _Directory()
    existing = WorkOrder.objects.count()
    rng = random.Random(f"jiesu-demo:{seed}:{existing}:{end.isoformat()}")
    prepared, month_cum, month_factor = _prepare_matters()
    subdistrict_matters = [(spec, tpls) for spec, tpls in prepared if spec.lead.startswith("so")]
    slot_fns = _slot_functions(rng)
    people = _People(rng)
    writer = _Writer()
    calltaker = _demo_actor("calltaker", "call_taker")
    dispatcher = _demo_actor("dispatcher", "dispatcher")
    visitor = _demo_actor("supervisor", "supervisor")
    handlers = _Handlers()
    engine = current_engine()

    # 1. How many orders each day gets: weekday rhythm, holidays, season, a slow rise over the year.
    day_list = [end - timedelta(days=days - i) for i in range(days)]
    weights = [
        WEEKDAY_FACTOR[d.weekday()]
        * (0.62 if _holiday(d) else 1.0)
        * month_factor[d.month - 1]
        * (0.9 + 0.2 * i / days)
        for i, d in enumerate(day_list)
    ]
    # The events' monthly partitions (PostgreSQL) are made before the history is written into
    # them; handling runs on for some weeks after an order's day.
    partitions.ensure_months(day_list[0], end + timedelta(days=62))
    per_day = Counter(rng.choices(range(days), weights=weights, k=n))
    counts = {day_list[i]: c for i, c in per_day.items()}
    starts = _reserve_numbers(counts)

    channels = [c for c, _ in CHANNEL_WEIGHTS]
    channel_cum = list(itertools.accumulate(w for _, w in CHANNEL_WEIGHTS))
    hour_cum = list(itertools.accumulate(HOUR_WEIGHTS))
    end_ts = datetime.combine(end, datetime.min.time(), tz).timestamp()
    # The first three weeks of last month are busy for the demo unit too: their orders are closed
    # and visited within the month, so the unit's start page shows last month's assessment
    # whatever day the demo is made (a quiet month left it unscored on some days).
    last_month = (end.replace(day=1) - timedelta(days=1)).replace(day=1)
    last_month_ts = datetime.combine(last_month, datetime.min.time(), tz).timestamp()
    # How old an order is, for how far along it got: counted from today, also for older history.
    age_from = datetime.combine(timezone.localdate(), datetime.min.time(), tz).timestamp() if older else end_ts
    now = timezone.now()
    rand, choice, randint = rng.random, rng.choice, rng.randint
    district_ids, district_cum, communities = directory.district_ids, directory.district_cum, directory.communities
    status_count: Counter[str] = Counter()
    pending: list[tuple] = []  # (order row without id, unit rows, event rows) waiting for ids
    concurrent = writer.vendor == "postgresql" and not connection.in_atomic_block
    workers = max(1, min(workers or default_workers(), len(counts))) if concurrent else 1
    mine = sorted(counts)
    crew = None
    if workers > 1:
        # Each process writes every workers-th day with a generator of its own (reproducible for
        # the same seed and number of workers); the numbers were reserved above, so days never
        # collide.
        crew = _Crew(workers)
        rng.seed(f"jiesu-demo:{seed}:{existing}:{end.isoformat()}:{crew.index}/{workers}")
        mine = mine[crew.index :: workers]
    sink = _Sink(writer, creator=calltaker, threaded=concurrent)
    done = 0
    next_progress = PROGRESS_EVERY

    try:
        for day in mine:
            count = counts[day]
            running = starts[day]
            day_start = datetime.combine(day, datetime.min.time(), tz).timestamp()
            seconds = sorted(
                bisect.bisect(hour_cum, rand() * hour_cum[-1]) * 3600 + randint(0, 3599) for _ in range(count)
            )
            m_cum = month_cum[day.month - 1]
            prefix = f"{day:%y%m%d}-"
            for seq, sec in zip(running, seconds):
                ts = day_start + sec
                received_at = datetime.fromtimestamp(ts, UTC)
                spec, tpls = prepared[bisect.bisect(m_cum, rand() * m_cum[-1])]
                kind, template, slot_names = choice(tpls)
                # Who calls, about which place.
                person = people.repeat() if rand() < REPEAT_CALLER else None
                recent_demo = not older and (
                    end_ts - ts < 14 * 86400 or last_month_ts <= ts < last_month_ts + DEMO_UNIT_LAST_MONTH_DAYS * 86400
                )
                if person is not None and rand() < HOME_PLACE:
                    place = person[4]
                elif directory.demo_places and rand() < (DEMO_UNIT_RECENT_SHARE if recent_demo else DEMO_UNIT_SHARE):
                    place = choice(directory.demo_places)
                else:
                    district = district_ids[bisect.bisect(district_cum, rand() * district_cum[-1])]
                    place = choice(communities[district])
                if person is None:
                    person = people.new(place)
                if recent_demo and place[4] == "望京街道" and not spec.lead.startswith("so") and rand() < 0.8:
                    # Most of what a subdistrict's residents call about is the subdistrict's to handle.
                    spec, tpls = choice(subdistrict_matters)
                    kind, template, slot_names = choice(tpls)
                (
                    community_id,
                    township_id,
                    district_id,
                    dist_name,
                    town_name,
                    cm_short,
                    village,
                    town_short,
                    town_code,
                    dist_code,
                ) = place
                if village:
                    detail = "" if rand() < 0.5 else f"{randint(1, 300)}号"
                else:
                    detail = f"{randint(1, 36)}号楼" + (f"{randint(1, 6)}单元" if rand() < 0.3 else "")
                addr = cm_short + detail
                ctx = {"addr": addr, "cm": cm_short, "dist": dist_name, "town": town_short, "village": village}
                content = template.format_map({name: slot_fns[name](ctx) for name in slot_names})
                channel = channels[bisect.bisect(channel_cum, rand() * channel_cum[-1])]
                opener = choice(texts.OPENERS_ONLINE if channel in ONLINE_CHANNELS else texts.OPENERS_PHONE)
                closing = choice(texts.CLOSINGS[kind])
                content = opener + content + closing
                source_line = spec.source_line if spec.source_line and channel == "phone" and rand() < 0.3 else "12345"
                location_text = f"{dist_name}{town_name}{addr}"
                if rand() < 0.05:  # the caller could not name the community
                    community_id = None
                    location_text = f"{dist_name}{town_name}{choice(('附近', '辖区内', ''))}"
                anonymous = channel in ONLINE_CHANNELS and rand() < 0.04
                if anonymous:
                    name_enc = phone_enc = id_enc = phone_index = ""
                    plain = {}
                else:
                    name_enc, phone_enc, id_enc, phone_index = person[:4]
                    plain = person[5]
                requester_type, organisation = "natural", ""
                r = rand()
                if r < 0.03 and not anonymous:
                    requester_type = "legal"
                    organisation = f"北京{choice(texts.ORG_WORDS)}{choice(texts.ORG_TRADES)}有限公司"
                elif r < 0.04 and not anonymous:
                    requester_type, organisation = "organisation", f"{cm_short}业主委员会"
                confidential = rand() < (0.2 if kind == "report" else 0.01)

                # Where it stands now: younger orders are less far along.
                age_days = (age_from - ts) / 86400
                r = rand()
                if kind == "consultation" and r < 0.35:
                    status = choices.ANSWERED
                elif age_days < 1:
                    status = choices.RECEIVED if r < 0.5 else choices.DISPATCHED
                elif age_days < 3:
                    status = choices.RECEIVED if r < 0.25 else choices.DISPATCHED
                else:
                    # Older orders were all dispatched or answered long ago: the review queue holds
                    # today's, with the engine's suggestions (jiesu.demo.live decides them).
                    status = choices.DISPATCHED

                history = []  # (at, actor, action, from status, to status, data) after created and dispatched
                dispatch = None
                order_units = []
                lead_id = response_due = due_at = None
                outcome = None
                if status == choices.ANSWERED:
                    history.append(
                        (
                            received_at + timedelta(minutes=randint(2, 9)),
                            calltaker,
                            "answered",
                            choices.RECEIVED,
                            choices.ANSWERED,
                            {"by": "call_taker"},
                        )
                    )
                elif status == choices.PENDING_REVIEW:
                    history.append(
                        (
                            received_at + timedelta(seconds=randint(20, 90)),
                            None,
                            "queued_for_review",
                            choices.RECEIVED,
                            choices.PENDING_REVIEW,
                            {"reason": "low_confidence"},
                        )
                    )
                elif status == choices.DISPATCHED:
                    lead = _lead_unit(directory, spec.lead, town_code, dist_code)
                    supervise = directory.unit(f"dg-{dist_code}")
                    automatic = rand() < 0.7
                    assigned_at = received_at + (
                        timedelta(seconds=randint(30, 600)) if automatic else timedelta(minutes=randint(8, 240))
                    )
                    assigned_at = min(assigned_at, now)
                    # The engine's own deadlines (working days and hours, holidays, 24/7 units on the
                    # clock), counted from the moment of dispatch: open orders come due at every hour.
                    limits = unit_deadlines(
                        engine.rules,
                        engine.calendar,
                        matter_code=spec.code,
                        kind=kind,
                        start=assigned_at,
                        always_on=lead[0] in directory.always_on,
                    )
                    response_due, due_at = limits.response_due.astimezone(UTC), limits.due_at.astimezone(UTC)
                    lead_id = lead[0]
                    outcome = lifecycle.advance(
                        rng,
                        kind=kind,
                        assigned_at=assigned_at,
                        response_due=response_due,
                        due_at=due_at,
                        now=now,
                        lead_id=lead_id,
                        lead_name=lead[2],
                        handler=handlers.user_for(lead),
                        visitor=visitor,
                        quality=lifecycle.unit_quality(lead_id, seed),
                    )
                    status = outcome.status
                    order_units.append(
                        (
                            lead_id,
                            "lead",
                            True,
                            response_due,
                            due_at,
                            assigned_at,
                            outcome.accepted_at,
                            outcome.first_contact_at,
                            outcome.finished_at,
                        )
                    )
                    assignments = [
                        services.Assignment(
                            unit=directory.assignee(lead), role="lead", response_due=response_due, due_at=due_at
                        )
                    ]
                    if supervise and supervise[0] != lead_id:
                        order_units.append((supervise[0], "supervise", True, None, None, assigned_at, None, None, None))
                        assignments.append(services.Assignment(unit=directory.assignee(supervise), role="supervise"))
                    # What the engine adds to the dispatch event when it decided on its own.
                    extra = {"catalog_version": "", "matter_code": spec.code} if automatic else {}
                    dispatch = (dispatcher, automatic, assignments, extra, assigned_at)
                    history.extend(outcome.events)
                status_count[status] += 1
                pending.append(
                    (
                        (
                            f"{prefix}{seq:05d}",
                            received_at,
                            channel,
                            source_line,
                            kind,
                            status,
                            requester_type,
                            name_enc,
                            phone_enc,
                            id_enc,
                            phone_index,
                            organisation,
                            confidential,
                            content,
                            location_text,
                            district_id,
                            township_id,
                            community_id,
                            None,
                            None,
                            spec.code,
                            lead_id,
                            response_due,
                            due_at,
                            None,
                            calltaker.pk if calltaker else None,
                            now,
                            now,
                        ),
                        order_units,
                        dispatch,
                        history,
                        outcome,
                        plain,
                    )
                )
                if len(pending) >= BATCH:
                    sink.put(pending)
                    pending = []
                done += 1
                if done >= next_progress:
                    if crew is None or crew.index == 0:
                        # The first process speaks for all: the others write at the same pace.
                        elapsed = time.monotonic() - started
                        about = done * workers
                        approx = "about " if workers > 1 else ""
                        out.write(f"  {approx}{about:,}/{n:,} orders ({about / elapsed:,.0f}/s)\n")
                        getattr(out, "flush", lambda: None)()
                    next_progress += PROGRESS_EVERY
        if pending:
            sink.put(pending)
        totals = sink.close()
    except BaseException:
        if crew is not None:
            crew.fail()
        raise
    callers = len(people.pool)
    if crew is not None:
        # The other processes report their counts; the first raises if any of them failed.
        for their_status, their_totals, their_callers in crew.gather((status_count, totals, callers)):
            status_count.update(their_status)
            totals = {k: totals[k] + their_totals[k] for k in totals}
            callers += their_callers
    writer.finish()
    elapsed = time.monotonic() - started
    statuses = ", ".join(f"{s} {c}" for s, c in status_count.most_common())
    return (
        f"{n} orders ({statuses}), {totals['units']} assignments, {totals['events']} events, "
        f"{callers} distinct callers in {elapsed:.1f}s ({n / max(elapsed, 1e-9):,.0f} orders/s)"
    )


def _lead_unit(directory: _Directory, lead: str, town_code: str, dist_code: str):
    """The unit that leads a matter at this place; the township office when nothing better exists."""
    kind, _, sector = lead.partition(":")
    code = {
        "so": f"so-{town_code}",
        "dg": f"dg-{dist_code}",
        "dd": f"dd-{dist_code}-{sector}",
        "ent": f"ent-{sector}",
        "city": f"city-{sector}",
    }[kind]
    unit = directory.unit(code)
    if unit is None and kind == "dd":
        unit = directory.unit(f"city-{sector}")
    return unit or directory.unit(f"so-{town_code}") or directory.unit(f"dg-{dist_code}")
