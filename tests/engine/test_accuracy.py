"""Per-field accuracy on our own Beijing test set (R11.3, R12, R12.3); prints the figures."""

from pathlib import Path

from jiesu.engine.evaluate import FIELDS, accuracy, format_report, load_cases

DATA = Path(__file__).resolve().parents[1] / "data" / "beijing_requests.jsonl"


def test_test_set_is_large_and_varied():
    cases = load_cases(DATA)
    assert len(cases) >= 200
    dispositions = {c["expected"]["disposition"] for c in cases}
    assert dispositions >= {
        "dispatch",
        "answer_directly",
        "emergency",
        "legal_channel",
        "repeat",
        "secret_privacy",
        "out_of_scope",
        "unlawful",
    }
    assert len({c["expected"]["district"] for c in cases} - {None}) == 16


def test_r12_3_accuracy_per_field(engine):
    result = accuracy(engine, DATA)
    print()
    print(format_report(result))
    for e in result["errors"]:
        print(" ", e["id"], e["wrong"])
    for field in FIELDS:
        assert result["fields"][field] >= 0.8, field
