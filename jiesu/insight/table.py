"""Reading any table of messages (CSV, or JSON lines) into topics.Message, for `jiesu topics`."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time
from pathlib import Path

from .topics import Message


class TableError(ValueError):
    """Bad input, said in Chinese with the column or row at fault."""


def parse_time(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None


def parse_day(value: str | None, field: str, *, end: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise TableError(f"{field}：日期格式应为 YYYY-MM-DD，收到 {value!r}") from None
    return datetime.combine(day, time.max if end else time.min)


def _rows(path: Path):
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise TableError(f"第 {n} 行不是有效的 JSON：{exc.msg}") from None
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh)


def read_messages(
    path: str | Path,
    *,
    id_column: str,
    text_column: str,
    time_column: str,
    title_column: str | None = None,
    place_column: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[Message]:
    path = Path(path)
    if not path.is_file():
        raise TableError(f"--input：找不到文件 {path}")
    out: list[Message] = []
    wanted = {
        "--id-column": id_column,
        "--text-column": text_column,
        "--time-column": time_column,
        "--title-column": title_column,
        "--place-column": place_column,
    }
    checked = False
    for row in _rows(path):
        if not checked:
            missing = [f"{flag} {name}" for flag, name in wanted.items() if name and name not in row]
            if missing:
                raise TableError(f"表中没有这些列：{'，'.join(missing)}（已有：{'，'.join(row)}）")
            checked = True
        at = parse_time(str(row.get(time_column) or ""))
        if since and (at is None or at < since):
            continue
        if until and (at is None or at > until):
            continue
        out.append(
            Message(
                id=str(row[id_column]),
                text=str(row.get(text_column) or ""),
                title=str(row.get(title_column) or "") if title_column else "",
                at=at,
                place=str(row.get(place_column) or "") if place_column else "",
            )
        )
    return out
