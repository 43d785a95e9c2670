"""Mixed load at Beijing's peak hour (Locust): call-takers, dispatchers, unit handlers,
supervisors and citizens, each logging in as the demo user of that role.

    # bench/scaleout.py prepares the users and runs this against both of its nodes:
    .venv/bin/python bench/scaleout.py --database jiesu_scale_1m --data-dir /tmp/jiesu-scale-1m --locust 240 --users 40
    # or by hand against any running Jiesu whose demo users' passwords are in the JSON file
    # (bench/scaleout.py writes it: {"users": {name: {"password": ...}}, "tokens": {...}, "month": "YYYY-MM"}):
    JIESU_LOCUST_DATA=/tmp/jiesu-scale-1m/bench-users.json JIESU_LOCUST_NODES=http://127.0.0.1:8001,http://127.0.0.1:8002 \\
      .venv/bin/locust -f bench/locustfile.py --headless -u 40 -r 4 -t 240s --host http://127.0.0.1:8001 --csv /tmp/l
    .venv/bin/python bench/locustfile.py /tmp/l_stats.csv     # p95 per screen and API

The peak-hour mix (weights are shares of the simulated people; wait times are the pauses of a
person at a screen, compressed about tenfold so that 40 simulated users stand for a floor of a
few hundred):
- Call-takers, 40 %: most of the centre's people at 9-11 h and 14-16 h. Each call: the intake
  screen, then the order filed (POST /api/v1/orders/, the engine decides and dispatches); now and then
  the list of dispatched orders. 3-8 s between calls.
- Unit handlers, 25 %: the workbench (their unit's list), an order's page, the unit's order
  feed (API), and now and then a whole handling: an order filed for their unit (望京) and
  accepted, the requester contacted, a reply (the handling API). 4-10 s.
- Citizens, 15 %: the public portal, published cases, the monthly report, Open311 service list,
  request search and one request's status. Anonymous. 3-10 s.
- Dispatchers, 12 %: the review queue, the order list, a search by word, an order's page.
  4-10 s.
- Supervisors, 6 %: the centre's supervision list, the assessment dashboard, alerts, topics,
  the public report, a search; the city's oversight, 2 %: overdue orders and township scores.
  8-20 s.
Every dynamic URL is grouped under one name ("/orders/[number]/") so each screen gets one p95.
Not in the mix: citizens' own submissions (the portal's SMS code and Open311's api_key belong to
other benches), attachments, the bureau's administration screens.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import re
import sys
from datetime import UTC
from pathlib import Path

if __name__ != "__main__":
    from locust import HttpUser, between, task
else:  # `python bench/locustfile.py STATS_CSV` prints the summary without importing (and monkey-patching) locust
    HttpUser = object

    def between(a, b):
        return None

    def task(weight=1):
        return (lambda f: f) if isinstance(weight, int) else weight


DATA = json.loads(Path(os.environ["JIESU_LOCUST_DATA"]).read_text()) if os.environ.get("JIESU_LOCUST_DATA") else {}
NODES = [n for n in os.environ.get("JIESU_LOCUST_NODES", "").split(",") if n]
_node_cycle = itertools.cycle(NODES) if NODES else None
WORDS = ("噪音", "物业", "停车", "供暖", "漏水", "烧烤店", "电梯", "垃圾")
WANGJING = (
    "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修",
    "朝阳区望京街道花家地北里小区物业不作为，楼道灯坏了一个月没人修",
)
NUMBER = re.compile(r'href="/orders/(\d{6}-\d{5,})/"')
HANDLING_NUMBER = re.compile(r'href="/handling/orders/(\d{6}-\d{5,})/"')
_callers = itertools.count(random.SystemRandom().randrange(10**7, 9 * 10**7))


def _hour_ago() -> str:
    from datetime import datetime, timedelta

    return (datetime.now(UTC) - timedelta(hours=1)).isoformat(timespec="seconds")


def _places():
    return DATA.get("places") or [["朝阳区", "望京街道", "花家地北里"]]


class JiesuUser(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        if _node_cycle is not None:
            # Spread the people over the nodes (a load balancer's round robin).
            self.client.base_url = next(_node_cycle)
        if self.username:
            self.login(self.username)

    def login(self, username: str) -> None:
        self.client.get("/login/", name="/login/")
        password = DATA["users"][username]["password"]
        with self.client.post(
            "/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.client.base_url}/login/"},
            name="/login/",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"login of {username}: {r.status_code}")

    def token_headers(self, who: str) -> dict:
        return {"Authorization": f"Token {DATA['tokens'][who]}"}

    def file_order(self, content: str | None = None, **extra) -> dict | None:
        district, township, community = random.choice(_places())
        body = {
            "channel": "phone",
            "kind": "complaint",
            "content": content
            or f"{district}{township}{community}附近{random.choice(WORDS)}问题反映多次没人管，请尽快处理",
            "requester_phone": f"171{next(_callers):08d}",
            **extra,
        }
        with self.client.post(
            "/api/v1/orders/",
            json=body,
            headers=self.token_headers("calltaker"),
            name="/api/v1/orders/ (API)",
            catch_response=True,
        ) as r:
            if r.status_code != 201:
                r.failure(f"intake {r.status_code}")
                return None
            return r.json()

    def some_number(self, html: str, pattern: re.Pattern = NUMBER) -> str | None:
        numbers = pattern.findall(html)
        return random.choice(numbers) if numbers else None


class CallTaker(JiesuUser):
    weight = 40
    wait_time = between(3, 8)
    username = "calltaker"

    @task(6)
    def take_a_call(self):
        self.client.get("/intake/", name="/intake/")
        self.file_order()

    @task(1)
    def dispatched_orders(self):
        self.client.get("/orders/", params={"status": "dispatched"}, name="/orders/?status")


class UnitHandler(JiesuUser):
    weight = 25
    wait_time = between(4, 10)
    username = "handler"

    @task(5)
    def workbench(self):
        r = self.client.get("/handling/", name="/handling/")
        number = self.some_number(r.text, HANDLING_NUMBER) if r.ok else None
        if number:
            self.client.get(f"/handling/orders/{number}/", name="/handling/orders/[number]/")

    @task(2)
    def feed(self):
        self.client.get(
            "/api/v1/unit-orders/",
            headers=self.token_headers("handler"),
            params={"changed_since": _hour_ago()},
            name="/api/v1/unit-orders/ (API)",
        )

    @task(1)
    def handle_one(self):
        order = self.file_order(random.choice(WANGJING))
        if not order or order.get("status") != "dispatched":
            return
        base = f"/handling/api/orders/{order['number']}"
        steps = (
            ("accept", {}),
            ("contact", {"method": "phone", "outcome": "reached"}),
            ("reply", {"result": "resolved", "public_text": "经协调物业公司，问题已处理完毕，感谢您的反映。"}),
        )
        for step, body in steps:
            with self.client.post(
                f"{base}/{step}/",
                json=body,
                headers=self.token_headers("handler"),
                name=f"/handling/api/orders/[number]/{step}/ (API)",
                catch_response=True,
            ) as r:
                if r.status_code != 200:
                    r.failure(f"{step} {r.status_code}")
                    return


class Citizen(JiesuUser):
    weight = 15
    wait_time = between(3, 10)

    @task(3)
    def portal(self):
        self.client.get("/public/", name="/public/")

    @task(2)
    def cases(self):
        self.client.get("/public/cases/", name="/public/cases/")

    @task(2)
    def monthly_report(self):
        self.client.get(f"/public/reports/{DATA.get('month', '2026-11')}/", name="/public/reports/[month]/")

    @task(1)
    def open311_services(self):
        self.client.get("/open311/v2/services.json", name="/open311/v2/services.json")

    @task(2)
    def open311_requests(self):
        r = self.client.get("/open311/v2/requests.json", name="/open311/v2/requests.json")
        try:
            ids = [d["service_request_id"] for d in r.json()][:20]
        except (ValueError, KeyError, TypeError):
            ids = []
        if ids:
            self.client.get(f"/open311/v2/requests/{random.choice(ids)}.json", name="/open311/v2/requests/[id].json")


class Dispatcher(JiesuUser):
    weight = 12
    wait_time = between(4, 10)
    username = "dispatcher"

    @task(3)
    def queue(self):
        self.client.get("/dispatch/", name="/dispatch/")

    @task(2)
    def order_list(self):
        r = self.client.get("/orders/", name="/orders/")
        number = self.some_number(r.text) if r.ok else None
        if number:
            self.client.get(f"/orders/{number}/", name="/orders/[number]/")

    @task(2)
    def search(self):
        self.client.get("/orders/", params={"q": random.choice(WORDS)}, name="/orders/?q= (search)")


class Supervisor(JiesuUser):
    weight = 6
    wait_time = between(8, 20)
    username = "supervisor"

    @task(2)
    def supervision(self):
        self.client.get("/centre/supervision/", name="/centre/supervision/")

    @task(2)
    def assessment(self):
        self.client.get("/assessment/", name="/assessment/")

    @task(1)
    def alerts(self):
        self.client.get("/insight/alerts/", name="/insight/alerts/")

    @task(1)
    def topics(self):
        self.client.get("/insight/topics/", name="/insight/topics/")

    @task(1)
    def report(self):
        self.client.get(f"/public/reports/{DATA.get('month', '2026-11')}/", name="/public/reports/[month]/")

    @task(1)
    def search(self):
        self.client.get("/orders/", params={"q": random.choice(WORDS)}, name="/orders/?q= (search)")


class CityOversight(JiesuUser):
    """The city government's oversight: overdue orders and the townships' scores."""

    weight = 2
    wait_time = between(8, 20)
    username = "city"

    @task
    def oversight(self):
        self.client.get("/centre/oversight/", name="/centre/oversight/")


def summary(stats_csv: Path) -> str:
    """p50 / p95 / p99 and failures of each screen and API from Locust's --csv stats file."""
    rows = list(csv.DictReader(stats_csv.open()))
    lines = [f"{'screen or API':<52} {'requests':>8} {'fail':>5} {'p50':>7} {'p95':>7} {'p99':>7}  (ms)"]
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"{name:<52} {row['Request Count']:>8} {row['Failure Count']:>5} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1])))
