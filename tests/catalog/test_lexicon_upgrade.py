"""A new release's lexicon terms reach a centre that already loaded (and edited) its lexicons:
`jiesu load-rules --upgrade`, a three-way merge that keeps the centre's own edits (R11.3, R12.3)."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.management import call_command

from jiesu.catalog.lexicon_merge import UNKNOWN, MergeReport, merge
from jiesu.catalog.models import LexiconSection, RulesRevision
from jiesu.engine import rules as engine_rules


def test_terms_the_release_adds_or_drops_follow_it_and_the_centres_own_stay():
    base = {"terms": ["借钱不还", "欠钱不还", "旧词"], "advice": "请走诉讼", "window_days": 30}
    mine = {"terms": ["借钱不还", "旧词", "本中心加的词"], "advice": "请走诉讼", "window_days": 14}
    theirs = {"terms": ["借钱不还", "欠钱不还", "新词"], "advice": "可向法院起诉", "window_days": 30}
    theirs["guards"] = ["不是"]
    report = MergeReport()
    got = merge(base, mine, theirs, report, "out_of_scope")
    # 欠钱不还: the centre removed it, it stays out; 旧词: the release dropped it, it goes;
    # 新词 and the new key come in; the centre's own word and its own window stay.
    assert got == {
        "terms": ["借钱不还", "本中心加的词", "新词"],
        "advice": "可向法院起诉",
        "window_days": 14,
        "guards": ["不是"],
    }
    assert report.added == ["out_of_scope.terms: 新词", "out_of_scope.guards"]
    assert report.removed == ["out_of_scope.terms: 旧词"]
    assert report.changed == ["out_of_scope.advice"]
    assert report.kept == []


def test_a_value_both_changed_keeps_the_centres_and_says_so():
    report = MergeReport()
    assert merge({"head": 20}, {"head": 30}, {"head": 40}, report, "kind_self_label") == {"head": 30}
    assert report.kept == ["kind_self_label.head"] and not report.touched


def test_lines_are_matched_by_their_line_and_merged_inside():
    base = [{"line": "110", "strong": ["拿着刀"]}, {"line": "119", "strong": ["着火了"]}]
    mine = [{"line": "110", "strong": ["拿着刀", "本中心加的"]}, {"line": "119", "strong": ["着火了"]}]
    theirs = [
        {"line": "119", "strong": ["着火了", "冒黑烟"]},
        {"line": "110", "strong": ["拿着刀", "别打了"]},
        {"line": "122", "strong": ["连环追尾"]},
    ]
    report = MergeReport()
    got = merge(base, mine, theirs, report, "emergency")
    assert got == [
        {"line": "110", "strong": ["拿着刀", "本中心加的", "别打了"]},
        {"line": "119", "strong": ["着火了", "冒黑烟"]},
        {"line": "122", "strong": ["连环追尾"]},
    ]
    assert report.added == ["emergency[110].strong: 别打了", "emergency[122]"]
    assert report.changed == ["emergency[119]"]


def test_groups_that_share_a_line_are_matched_by_their_label():
    base = [
        {"line": "119", "label": "火情", "exclude": ["油烟"]},
        {"line": "119", "label": "燃气泄漏", "strong": ["煤气味"]},
    ]
    mine = copy.deepcopy(base)
    mine[1]["strong"].append("本中心加的")
    theirs = copy.deepcopy(base)
    theirs[0]["exclude"].append("排黑烟")
    report = MergeReport()
    got = merge(base, mine, theirs, report, "emergency")
    assert got == [
        {"line": "119", "label": "火情", "exclude": ["油烟", "排黑烟"]},
        {"line": "119", "label": "燃气泄漏", "strong": ["煤气味", "本中心加的"]},
    ]
    assert report.changed == ["emergency[火情]"] and report.kept == []


def test_without_a_known_base_the_release_only_adds():
    # A section seeded before the shipped version was kept: nothing of the centre's is removed.
    mine = {"terms": ["甲", "乙"], "advice": "旧说明"}
    theirs = {"terms": ["乙", "丙"], "advice": "新说明"}
    report = MergeReport()
    assert merge(UNKNOWN, mine, theirs, report, "s") == {"terms": ["甲", "乙", "丙"], "advice": "旧说明"}
    assert report.added == ["s.terms: 丙"] and report.removed == [] and report.kept == ["s.advice"]


@pytest.fixture
def released():
    return engine_rules.default_rules_dict()["lexicons"]


@pytest.mark.django_db
def test_load_rules_upgrade_brings_a_new_releases_terms_into_an_edited_install(released):
    # The install was seeded by an older release without "别打了" and without the section
    # construction_township, and its administrator added a word of their own.
    old = copy.deepcopy(released)
    police = next(line for line in old["emergency"] if line["line"] == "110")
    assert "别打了" in police["strong"]
    police["strong"].remove("别打了")
    del old["construction_township"]
    LexiconSection.objects.all().delete()
    for key, data in old.items():
        LexiconSection.objects.create(key=key, data=copy.deepcopy(data), shipped=data)
    section = LexiconSection.objects.get(key="emergency")
    next(line for line in section.data if line["line"] == "110")["strong"].append("本中心加的词")
    section.save()

    out = io.StringIO()
    call_command("load_rules", stdout=out)
    assert "`jiesu load-rules --upgrade`" in out.getvalue()  # plain load-rules only says so
    assert "别打了" not in _police_terms()

    revision = RulesRevision.objects.get(pk=1).revision
    out = io.StringIO()
    call_command("load_rules", upgrade=True, show=True, stdout=out)
    terms = _police_terms()
    assert "别打了" in terms and "本中心加的词" in terms
    assert LexiconSection.objects.get(key="construction_township").data == released["construction_township"]
    assert "+ emergency[违法犯罪进行中].strong: 别打了" in out.getvalue()
    assert RulesRevision.objects.get(pk=1).revision > revision  # every worker rebuilds its engine
    assert all(s.shipped == released[s.key] for s in LexiconSection.objects.filter(key__in=released))

    out = io.StringIO()
    call_command("load_rules", upgrade=True, stdout=out)  # a second upgrade has nothing to do
    assert "0 sections changed, 0 terms added, 0 removed" in out.getvalue()


def _police_terms() -> list[str]:
    section = LexiconSection.objects.get(key="emergency")
    return next(line for line in section.data if line["line"] == "110")["strong"]
