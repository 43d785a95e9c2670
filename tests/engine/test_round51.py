"""Round 51 (R2.3): an emergency is a call for help unless the caller is a witness reporting
someone else's danger, which the reader hears. Every emergency used to be "help" whatever the
reader weighed; about a quarter of the labelled sets' emergencies are reports. Own wordings,
none taken from a labelled set."""

import pytest

from jiesu.engine.reader import Gates, Reading


def test_a_witness_to_a_beating_reports_it(decide):
    decision = decide("路边有几个人正拿着棍子打一个人，打得满脸是血，还在打，就在我们小区门口。")
    assert (decision.disposition, decision.emergency_line, decision.kind) == ("emergency", "110", "report")


@pytest.mark.parametrize(
    "text",
    [
        "我被人用刀划伤了，血止不住，快来救我。",
        "我老公喝了酒在家打我，我躲在厕所里，救命。",
    ],
)
def test_someone_in_danger_themselves_asks_for_help(decide, text):
    decision = decide(text)
    assert (decision.disposition, decision.kind) == ("emergency", "help")


def test_the_choice_is_between_help_and_report_only(engine):
    # A reading that puts "complaint" first still makes an emergency help or report.
    reading = Reading(
        disposition={"dispatch": 1.0},
        kind=("complaint", 0.6),
        matters=(),
        gates=Gates(),
        kinds={"complaint": 0.6, "help": 0.15, "report": 0.25},
    )
    assert engine._emergency_kind(reading) == "report"
    assert engine._emergency_kind(None) == "help"
