"""A screenshot walk of the console, as a new user sees it after `make run` (issue 13).

From a fresh demo database (migrate, then `jiesu demo --initial-orders N` as `make run` does),
served by gunicorn over real HTTP, Debian's Chromium (Playwright) at 1440x900 signs in as every
demo role, opens the start page and every page the role's navigation offers, then the complete
page of an order that went through its whole life (intake, dispatch, acceptance, contact, reply,
return visit), a page the role may not open (403) and one that does not exist (404). One PNG per
page goes to OUT_DIR, and a table is printed (and written to OUT_DIR/walk.tsv): role, URL,
status, page title, the main numbers and rows shown, and what looks wrong: an empty screen, a
raw code or requirement id (the scanner of tests/test_no_raw_codes.py), English words.

    .venv/bin/python scripts/screenshot_walk.py /tmp/walk [--orders 3000] [--data-dir DIR]

--data-dir reuses a directory a previous walk prepared (its database and the demo passwords it
kept), so a second walk skips the demo. Takes minutes: not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("JIESU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# Visible words that are not English prose: names of things people use as they are.
LATIN_OK = {
    *("jiesu", "excel", "csv", "api", "pdf", "open311", "sms", "app", "id", "url", "ktv"),
    *("alt", "enter", "ctrl", "tab", "shift", "esc"),  # keys, named as printed on the keyboard
}
EMPTY_WORDS = re.compile(r"暂无|尚无|没有(?:数据|记录|工单|结果|待办)|无数据|空空如也")
# The order page of a whole life: closed after a return visit that recorded satisfaction, in the
# demo unit (望京), so that its handler and Chaoyang's oversight may open it too.
LIFECYCLE_ORDER = """
from datetime import timedelta
from django.utils import timezone
from jiesu.orders.models import WorkOrder
from jiesu.demo.users import demo_unit
recent = timezone.now() - timedelta(days=30)
order = (WorkOrder.objects.filter(status="closed", received_at__gte=recent, replies__isnull=False,
         lead_unit=demo_unit(), events__action="return_visit_recorded").order_by("-received_at").first())
print(order.number if order else "")
"""
LAST_MONTH = (datetime.now(ZoneInfo("Asia/Shanghai")).date().replace(day=1) - timedelta(days=1)).replace(day=1)
# A page each role may not open (the first of these its navigation does not offer): the 403 page.
FORBIDDEN = ("/dispatch/", "/knowledge/", "/centre/unit/users/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _manage(env: dict, *args: str, capture: bool = True) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=REPO, check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else ""


def prepare(data_dir: Path, orders: int, env: dict) -> dict[str, str]:
    """A fresh demo database in data_dir (as `make run` makes it); the demo users' passwords."""
    kept = data_dir / "walk-passwords.json"
    if kept.exists():
        return json.loads(kept.read_text())
    started = time.monotonic()
    _manage(env, "migrate", "--noinput")
    out = _manage(env, "demo", "--initial-orders", str(orders))
    passwords = dict(re.findall(r"^\s+(\w+)\s+\w+\s+(\S+)$", out, re.M))
    kept.write_text(json.dumps(passwords))
    print(f"demo database prepared in {time.monotonic() - started:.0f}s ({orders} orders): {data_dir}", flush=True)
    return passwords


def serve(env: dict, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = open(log_path, "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "jiesu.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--timeout", "120"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            urllib.request.urlopen(f"{url}/login/", timeout=2)
            return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError(f"server did not start: {log_path.read_text()[-2000:]}") from None
            time.sleep(0.5)


def _scanner():
    """The rendered-page scanner of the test suite (raw codes, matter codes, requirement ids)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiesu.settings")
    import django

    django.setup()
    from tests.test_no_raw_codes import problems_in

    return problems_in


SUMMARY_JS = """() => {
  const text = el => (el ? el.innerText.trim().replace(/\\s+/g, ' ') : '');
  const main = document.querySelector('main') || document.body;
  const tiles = [...document.querySelectorAll('.tile')].map(t =>
    text(t.querySelector('.tile-label')) + ' ' + text(t.querySelector('.tile-value')));
  const counts = [...main.querySelectorAll('.count')].map(text);
  const tables = [...main.querySelectorAll('table')].map(t => t.querySelectorAll('tbody tr, tr[data-number]').length);
  const charts = main.querySelectorAll('canvas').length;
  const latin = main.innerText.match(/(?<![A-Za-z0-9])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9])/g) || [];
  return {title: document.title, h1: text(main.querySelector('h1')), tiles, counts, tables, charts,
          text: main.innerText, latin};
}"""


def look(page, url: str, problems_in, users) -> dict:
    response = page.goto(url, wait_until="networkidle")
    status = response.status if response else 0
    page.wait_for_timeout(300)  # charts draw after load
    s = page.evaluate(SUMMARY_JS)
    raw, _links = problems_in(page.content())
    english = sorted({w for w in s["latin"] if w.lower() not in LATIN_OK and w not in users})  # names: fine
    shown = s["tiles"][:6] or s["counts"][:3]
    if s["tables"]:
        shown = shown + [f"表格行 {'/'.join(map(str, s['tables'][:4]))}"]
    if s["charts"]:
        shown.append(f"图表 {s['charts']}")
    issues = []
    # The line that says a part is empty, so the reader knows which part.
    empties = [line.strip()[:40] for line in s["text"].splitlines() if EMPTY_WORDS.search(line)]
    if empties:
        issues.append("空: " + " | ".join(dict.fromkeys(empties)))
    zero = sum(1 for c in s["counts"] if re.fullmatch(r"共\s*0\s*件", c))
    if zero:
        issues.append(f"空列表 {zero}/{len(s['counts'])}")
    if s["tables"] and not any(s["tables"]):
        issues.append("表格无行")
    if raw:
        issues.append("代码: " + "; ".join(sorted(set(raw))[:4]))
    if english:
        issues.append("英文: " + " ".join(english[:6]))
    if status >= 400 and not re.search(r"[\u4e00-\u9fff]", s["text"]):
        issues.append("错误页无中文")
    return {
        "status": status,
        "title": s["title"],
        "h1": s["h1"],
        "shown": "；".join(shown),
        "issues": "；".join(issues),
    }


def walk(url: str, passwords: dict, out: Path, order_number: str, problems_in) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for username, password in passwords.items():
            context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
            page = context.new_page()
            page.set_default_timeout(60000)
            page.goto(f"{url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda u: "/login/" not in u)
            start = page.url.removeprefix(url) or "/"  # oversight roles land on their own board
            hrefs = page.locator("nav.main-nav a[href]").evaluate_all("as => as.map(a => a.getAttribute('href'))")
            paths = [start] + [h for h in dict.fromkeys(hrefs) if h.startswith("/") and h not in (start, "/admin/")]
            if "/assessment/" in paths:  # last month's assessment, the month every unit is ranked on
                paths.append(f"/assessment/?month={LAST_MONTH:%Y-%m}")
            if order_number:
                paths.append(f"/orders/{order_number}/")
            paths.append(next(f for f in FORBIDDEN if f not in paths))  # the 403 page
            paths.append("/orders/000101-99999/")  # a number that does not exist: the 404 page
            for n, path in enumerate(paths):
                try:
                    row = {"role": username, "url": path, **look(page, f"{url}{path}", problems_in, passwords)}
                except Exception as exc:  # a broken page is a finding, not the end of the walk
                    row = {"role": username, "url": path, "status": 0, "title": "", "h1": "", "shown": ""}
                    row["issues"] = f"打不开: {type(exc).__name__}: {str(exc)[:80]}"
                name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "start"
                page.screenshot(path=str(out / f"{username}-{n:02d}-{name}.png"), full_page=True)
                rows.append(row)
                print(
                    f"{row['role']:<10} {row['status']} {path:<34} {row['title'][:24]:<24} "
                    f"{row['shown'][:70]:<70} {row['issues']}",
                    flush=True,
                )
            context.close()
        browser.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="directory for the PNGs and walk.tsv")
    ap.add_argument("--orders", type=int, default=3000, help="demo size, as make run (default 3000)")
    ap.add_argument("--data-dir", type=Path, help="reuse a directory a previous walk prepared")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="jiesu-walk-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    # The worktree's own code, an SQLite database of its own in data_dir (as make run uses).
    env = {**os.environ, "JIESU_DATA_DIR": str(data_dir), "JIESU_LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    passwords = prepare(data_dir, args.orders, env)
    order_number = _manage(env, "shell", "-c", LIFECYCLE_ORDER).strip().splitlines()[-1:] or [""]
    problems_in = _scanner()
    server, url = serve(env, data_dir / "gunicorn.log")
    try:
        rows = walk(url, passwords, args.out, order_number[0], problems_in)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a loaded machine: workers still finishing a request
            server.kill()
            server.wait(timeout=20)
    with open(args.out / "walk.tsv", "w") as f:
        f.write("role\turl\tstatus\ttitle\th1\tshown\tissues\n")
        for r in rows:
            f.write("\t".join(str(r[k]) for k in ("role", "url", "status", "title", "h1", "shown", "issues")) + "\n")
    bad = [r for r in rows if r["issues"]]
    print(f"\n{len(rows)} pages, {len(bad)} with something to look at; screenshots and walk.tsv in {args.out}")


if __name__ == "__main__":
    main()
