"""Round 49 (R2.3): "有人在撬我家门" is a break-in in progress by the rules alone. Twenty such calls
in the development sets were caught only by the reader, and set ad's by nothing. Own wordings,
none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "有人在撬我们家的门，我躲在屋里不敢出声，快来人。",
        "门外有人撬我家锁，咔咔直响，我老婆孩子都在家。",
    ],
)
def test_someone_forcing_ones_door_is_a_break_in(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_a_door_forced_last_month_is_a_report(decide_by_rules):
    text = "上个月有人撬我家门偷了东西，派出所立案了，到现在没消息，想问问进展。"
    assert decide_by_rules(text).disposition != "emergency"
