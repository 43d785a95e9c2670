"""`jiesu topics`: topics in any table of messages, one JSON object a line (R18.1, R24.1)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jiesu.insight import table, topics


class Command(BaseCommand):
    help = "把任意留言表（CSV 或 JSON 行）按文本、地点和时间归并为话题，每行输出一个话题。"

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="CSV 或 .jsonl 文件")
        parser.add_argument("--id-column", required=True)
        parser.add_argument("--text-column", required=True)
        parser.add_argument("--title-column")
        parser.add_argument("--time-column", required=True)
        parser.add_argument("--place-column", help="地点列：列入话题的地点")
        parser.add_argument(
            "--block-by-place", action="store_true", help="不同地点的留言不归入同一话题（地点精确到社区时用）"
        )
        parser.add_argument("--since", help="YYYY-MM-DD")
        parser.add_argument("--until", help="YYYY-MM-DD（含当日）")
        parser.add_argument("--min-size", type=int, default=2, help="话题最少条数（默认 2）")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")

    def handle(self, *args, **o):
        if o["min_size"] < 1:
            raise CommandError("--min-size：至少为 1")
        try:
            since = table.parse_day(o["since"], "--since")
            until = table.parse_day(o["until"], "--until", end=True)
            messages = table.read_messages(
                o["input"],
                id_column=o["id_column"],
                text_column=o["text_column"],
                time_column=o["time_column"],
                title_column=o["title_column"],
                place_column=o["place_column"],
                since=since,
                until=until,
            )
        except table.TableError as exc:
            raise CommandError(str(exc)) from None
        settings = topics.Settings(
            block_by_place=bool(o["place_column"] and o["block_by_place"]), min_size=o["min_size"]
        )
        for topic in topics.group(messages, settings):
            self.stdout.write(json.dumps(topic.as_dict(), ensure_ascii=False))
