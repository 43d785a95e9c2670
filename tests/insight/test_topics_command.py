"""`jiesu topics` on a small generated table (R18.1, R24.1): differently worded reports of one
problem land in one topic, other problems stay apart, and bad input names the column."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

PROBLEMS = {
    "water": (
        "望京西园三区停水",
        [
            "望京西园三区从早上开始停水，家里一滴水都没有",
            "望京西园三区又停水了，什么时候恢复供水",
            "西园三区停水一整天了，老人做不了饭",
            "望京西园三区突然停水没有任何通知",
        ],
    ),
    "noise": (
        "工地夜间施工噪音扰民",
        [
            "小区旁边工地夜间施工噪音扰民，晚上十二点还在打桩",
            "工地每天夜里施工噪音太大扰民睡不着",
            "夜间施工噪音扰民严重，工地半夜还在作业",
            "旁边工地夜间施工噪音扰民请管一管",
        ],
    ),
}


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["编号", "标题", "内容", "时间", "地点"])
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def table(tmp_path):
    rows, n = [], 0
    for key, (title, texts) in PROBLEMS.items():
        for i, text in enumerate(texts):
            n += 1
            rows.append(
                {
                    "编号": f"{key}-{i}",
                    "标题": title if i % 2 else "",
                    "内容": text,
                    "时间": f"2026-07-0{i + 1} 10:00:00",
                    "地点": "朝阳区",
                }
            )
    rows.append(
        {
            "编号": "lone",
            "标题": "",
            "内容": "咨询护照办理需要什么材料",
            "时间": "2026-07-03 09:00:00",
            "地点": "海淀区",
        }
    )
    path = tmp_path / "messages.csv"
    _write(path, rows)
    return path


def _run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("topics", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_topics_command_groups_one_problem_per_line_R18_1(table):
    topics = _run(
        "--input",
        str(table),
        "--id-column",
        "编号",
        "--text-column",
        "内容",
        "--title-column",
        "标题",
        "--time-column",
        "时间",
        "--place-column",
        "地点",
        "--format",
        "jsonl",
    )
    groups = sorted(sorted(t["ids"]) for t in topics)
    assert groups == [[f"noise-{i}" for i in range(4)], [f"water-{i}" for i in range(4)]]
    for t in topics:
        assert set(t) == {"topic", "label", "ids", "size", "places", "first", "last"}
        assert t["size"] == 4 and t["places"] == ["朝阳区"]
        assert t["first"].startswith("2026-07-01") and t["last"].startswith("2026-07-04")
        assert t["label"]


def test_topics_command_since_until_R24_1(table):
    topics = _run(
        "--input",
        str(table),
        "--id-column",
        "编号",
        "--text-column",
        "内容",
        "--time-column",
        "时间",
        "--since",
        "2026-07-03",
        "--until",
        "2026-07-04",
    )
    assert sorted(sorted(t["ids"]) for t in topics) == [["noise-2", "noise-3"], ["water-2", "water-3"]]


def test_topics_command_blocks_by_place_when_asked(tmp_path):
    rows = [
        {
            "编号": str(i),
            "标题": "",
            "内容": "小区停水一整天了没有任何通知",
            "时间": "2026-07-01 10:00:00",
            "地点": "甲社区" if i < 2 else "乙社区",
        }
        for i in range(4)
    ]
    path = tmp_path / "m.csv"
    _write(path, rows)
    args = [
        "--input",
        str(path),
        "--id-column",
        "编号",
        "--text-column",
        "内容",
        "--time-column",
        "时间",
        "--place-column",
        "地点",
    ]
    assert len(_run(*args)) == 1
    assert sorted(t["ids"] for t in _run(*args, "--block-by-place")) == [["0", "1"], ["2", "3"]]


def test_topics_command_names_the_missing_column(table):
    with pytest.raises(CommandError, match="--text-column 正文"):
        _run("--input", str(table), "--id-column", "编号", "--text-column", "正文", "--time-column", "时间")
    with pytest.raises(CommandError, match="--since"):
        _run(
            "--input",
            str(table),
            "--id-column",
            "编号",
            "--text-column",
            "内容",
            "--time-column",
            "时间",
            "--since",
            "七月",
        )
