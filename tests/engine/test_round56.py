"""Round 56 (R11.3 cases 2 and 6): an ultimatum to go to court or to arbitration ("再不修，否则我就
起诉他们") is a caller who wants the problem fixed. A reader retrained on 39 writers' sets read one
such sentence of the suite as a threat (unlawful, 0.58); the rules now say it is neither a
legal-channel request nor a threat, whatever the reader makes of it. Own wordings."""

import pytest

from jiesu.engine.reader import Gates, Reading


def _reading(**disposition) -> Reading:
    return Reading(disposition=disposition, kind=None, matters=(("urban.property.service", 0.6),), gates=Gates())


@pytest.mark.parametrize(
    ("text", "ultimatum"),
    [
        ("业委会再不管电梯的事，否则我们就去起诉物业", True),
        ("单位再不补缴社保，不然我就申请劳动仲裁", True),
        # A lawsuit asked about, or already under way, is a legal channel (case 2), no ultimatum.
        ("我想起诉物业公司，请问去哪个法院立案", False),
        ("否则怎么办呢，物业一直不修", False),
    ],
)
def test_an_ultimatum_to_go_to_court_is_recognised(rules_engine, text, ultimatum):
    triage = rules_engine.triage
    assert triage.lawful_ultimatum(triage.scan(text)) is ultimatum


@pytest.mark.parametrize("case", ["unlawful", "legal_channel"])
def test_the_reader_does_not_make_an_ultimatum_a_special_case(rules_engine, case):
    reading = _reading(dispatch=0.05, **{case: 0.9}, out_of_scope=0.05)
    assert rules_engine._read_special_case(reading, keyword_matter=False).disposition == case
    assert rules_engine._read_special_case(reading, keyword_matter=False, ultimatum=True) is None


def test_other_special_cases_stand_beside_an_ultimatum(rules_engine):
    reading = _reading(dispatch=0.05, secret_privacy=0.9, out_of_scope=0.05)
    assert rules_engine._read_special_case(reading, keyword_matter=False, ultimatum=True).disposition == (
        "secret_privacy"
    )
