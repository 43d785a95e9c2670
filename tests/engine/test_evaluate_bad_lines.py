"""`jiesu evaluate-engine` on a labelled set with a bad line names the file, line and id (a writer's
date of hour 30 stopped it with a traceback on 2026-12-05)."""

import json

import pytest

from jiesu.engine.evaluate import CaseError, accuracy

GOOD = {"id": "g1", "text": "小区垃圾没人清运", "expected": {"disposition": "dispatch"}}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({**GOOD, "id": "b1", "received_at": "2026-11-07T30:15:00+08:00"}, r"sets.jsonl:2 \(b1\): field 'received_at'"),
        ({**GOOD, "id": "b2", "text": "  "}, r"sets.jsonl:2 \(b2\): field 'text'"),
        ({"id": "b3", "text": "没有标注"}, r"sets.jsonl:2: a JSON object with an 'expected' object is required"),
        ({**GOOD, "id": "b4", "expected": {"kind": "help"}}, r"sets.jsonl:2 \(b4\): field 'expected.disposition'"),
    ],
)
def test_a_bad_line_is_named(rules_engine, tmp_path, line, message):
    path = tmp_path / "sets.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n" + json.dumps(line, ensure_ascii=False) + "\n")
    with pytest.raises(CaseError, match=message):
        accuracy(rules_engine, path)


def test_a_line_that_is_not_json_is_named(rules_engine, tmp_path):
    path = tmp_path / "sets.jsonl"
    path.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n\n{not json\n")
    with pytest.raises(CaseError, match=r"sets.jsonl:3: not a JSON object"):
        accuracy(rules_engine, path)


def test_several_sets_are_pooled_and_a_bad_line_names_its_own_file(rules_engine, tmp_path):
    """`jiesu evaluate-engine --input a.jsonl b.jsonl`: each request counts once, whichever set
    it is in; an error names the set it came from."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    emergency = {"id": "e1", "text": "有人拿刀在砍人，快来！", "expected": {"disposition": "emergency"}}
    a.write_text(json.dumps(GOOD, ensure_ascii=False) + "\n")
    b.write_text(json.dumps(emergency, ensure_ascii=False) + "\n")
    pooled = accuracy(rules_engine, [a, b])
    assert pooled["n"] == 2 and pooled["emergencies"] == {"caught": 1, "of": 1}
    assert accuracy(rules_engine, a)["n"] == 1
    b.write_text(json.dumps({**GOOD, "id": "b5", "text": " "}, ensure_ascii=False) + "\n")
    with pytest.raises(CaseError, match=r"b.jsonl:1 \(b5\)"):
        accuracy(rules_engine, [a, b])
