"""The open knowledge base (issue 14 item 3; R11.1, R30.1): anonymous Chinese search at
/public/knowledge/ over the shipped Beijing articles, versioned edits by the owning unit with the
bureau's approval, review-date lists, and direct answers that cite the best article's basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiesu.core import roles
from jiesu.dispatch.runtime import current_engine
from jiesu.knowledge import selectors, services
from jiesu.knowledge.models import Article, ArticleVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(db, fresh_engine):
    services.load_starting_set()


@pytest.fixture
def hr_admin(make_user):
    return make_user(roles.UNIT_ADMIN, "city-hr_social_security")


@pytest.fixture
def bureau(make_user):
    return make_user(roles.BUREAU_ADMIN, "bureau")


def test_starting_set_has_100_beijing_articles_each_with_unit_basis_source_and_dates_R30_1(kb):
    articles = Article.objects.filter(active=True)
    assert articles.count() >= 100
    for a in articles:
        assert a.owner_unit is not None, a.slug
        assert "《" in a.legal_basis and a.source and a.effective_date and a.review_date > a.effective_date, a.slug
        assert a.versions.get(number=a.version).status == ArticleVersion.APPROVED
    assert services.load_starting_set() == {"added": 0, "updated": 0}  # loading again changes nothing


@pytest.mark.parametrize("accept", ["zh-CN", "en-US,en;q=0.9"])
def test_anonymous_search_for_heating_finds_the_heating_period_in_chinese_R30_1(kb, accept):
    response = Client(HTTP_ACCEPT_LANGUAGE=accept).get("/public/knowledge/", {"q": "供暖"})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page and "找到" in page and "条相关内容" in page
    heating = Article.objects.get(slug="kb-heating-period")
    assert heating.title in page and reverse("knowledge:article", args=[heating.slug]) in page
    hits = selectors.search("供暖")
    assert hits[0].article.slug.startswith("kb-heating") and len(hits) >= 3
    article = Client().get(reverse("knowledge:article", args=[heating.slug])).content.decode()
    assert "11月15日至次年3月15日" in article and "《北京市供热采暖管理办法》" in article
    assert "北京市热力集团有限责任公司" in article and "复核日期" in article


@pytest.mark.parametrize(
    "query, slug",
    [
        ("公积金怎么提取", "kb-provident-fund-withdraw"),
        ("请问北京什么时候开始供暖？", "kb-heating-period"),
        ("孩子上小学要什么材料", "kb-school-enrolment"),
        ("楼道里给电动车充电", "kb-ebike-charging"),
        ("网购的东西可以七天无理由退货吗", "kb-consumer-return"),
        ("居住证", "kb-residence-permit"),
    ],
)
def test_search_ranks_the_article_a_citizen_means_first_R30_1(kb, query, slug):
    assert selectors.search(query)[0].article.slug == slug


def test_search_pages_true_counts_categories_and_nothing_found_R30_1(kb):
    client = Client()
    everything = client.get("/public/knowledge/").content.decode()
    total = Article.objects.filter(active=True).count()
    assert f"共{total}条" in everything and "第1页" in everything
    second = client.get("/public/knowledge/", {"page": 2})
    assert second.status_code == 200 and "第2页" in second.content.decode()
    laws = client.get("/public/knowledge/", {"category": "law"}).content.decode()
    assert f"共{Article.objects.filter(active=True, category='law').count()}条" in laws
    none = client.get("/public/knowledge/", {"q": "量子纠缠实验"}).content.decode()
    assert "没有找到相关内容" in none
    assert client.get("/public/knowledge/", {"q": "<script>alert(1)</script>"}).status_code == 200
    assert client.get("/public/knowledge/no-such-article/").status_code == 404


def test_unit_admin_edit_waits_for_the_bureau_and_every_version_is_kept_R30_1(kb, hr_admin, bureau, settings):
    settings.JIESU_KNOWLEDGE_NEEDS_APPROVAL = True
    article = Article.objects.get(slug="kb-unemployment")
    old_body, old_version = article.body, article.version
    client = Client()
    client.force_login(hr_admin)
    form = {
        "title": article.title,
        "category": article.category,
        "keywords": "失业金、失业保险金",
        "body": old_body + "申领后可在线查询审核进度和发放记录。",
        "legal_basis": article.legal_basis,
        "source": article.source,
        "effective_date": "2026-01-01",
        "review_date": "2027-06-30",
        "active": "on",
        "note": "补充进度查询渠道",
    }
    response = client.post(reverse("knowledge_console:edit", args=[article.slug]), form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == old_body and article.version == old_version  # public text unchanged until approved
    pending = ArticleVersion.objects.get(article=article, status=ArticleVersion.PENDING)
    assert "发放记录" in pending.body and pending.edited_by == hr_admin
    assert "发放记录" not in Client().get(reverse("knowledge:article", args=[article.slug])).content.decode()

    client.force_login(bureau)
    assert pending.title in client.get(reverse("knowledge_console:pending")).content.decode()
    client.post(reverse("knowledge_console:decide", args=[pending.pk]), {"approve": "yes", "note": "同意"})
    article.refresh_from_db()
    assert "发放记录" in article.body and article.version == pending.number
    assert "发放记录" in Client().get(reverse("knowledge:article", args=[article.slug])).content.decode()
    assert list(article.versions.values_list("number", flat=True)) == list(range(article.version, 0, -1))
    assert article.versions.get(number=old_version).body == old_body  # nothing lost
    history = client.get(reverse("knowledge_console:history", args=[article.slug])).content.decode()
    assert "补充进度查询渠道" in history and "已生效" in history


def test_bureau_edits_take_effect_at_once_and_setting_can_waive_approval_R30_1(kb, hr_admin, bureau, settings):
    article = Article.objects.get(slug="kb-annual-leave")
    data = {**{f: getattr(article, f) for f in ArticleVersion.FIELDS}, "review_date": dt.date(2028, 1, 1)}
    assert services.propose(bureau, data, article=article).status == ArticleVersion.APPROVED
    settings.JIESU_KNOWLEDGE_NEEDS_APPROVAL = False
    version = services.propose(hr_admin, {**data, "review_date": dt.date(2028, 6, 1)}, article=article)
    article.refresh_from_db()
    assert version.status == ArticleVersion.APPROVED and article.review_date == dt.date(2028, 6, 1)


def test_only_the_owning_unit_admin_and_the_bureau_may_edit_R5_1_R30_1(kb, make_user, hr_admin, client):
    housing = Article.objects.get(slug="kb-property-fee")  # owned by the housing commission
    client.force_login(hr_admin)
    assert client.get(reverse("knowledge_console:edit", args=[housing.slug])).status_code == 403
    assert client.get(reverse("knowledge_console:history", args=[housing.slug])).status_code == 404
    listed = client.get(reverse("knowledge_console:manage")).content.decode()
    assert "失业保险金" in listed and housing.title not in listed
    for role, unit in ((roles.UNIT_HANDLER, "city-hr_social_security"), (roles.CALL_TAKER, "centre")):
        client.force_login(make_user(role, unit))
        assert client.get(reverse("knowledge_console:manage")).status_code == 403
    assert Client().get(reverse("knowledge_console:manage")).status_code == 302  # to the login


def test_bad_edit_names_fields_in_chinese_and_writes_nothing_R30_1(kb, hr_admin, client):
    article = Article.objects.get(slug="kb-unemployment")
    before = ArticleVersion.objects.count()
    client.force_login(hr_admin)
    response = client.post(
        reverse("knowledge_console:edit", args=[article.slug]),
        {
            "title": article.title,
            "category": "law",
            "body": "太短",
            "legal_basis": "",
            "source": "人社局",
            "effective_date": "2026-05-01",
            "review_date": "2026-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-body"' in page and "至少20个字" in page
    assert 'id="error-legal_basis"' in page and 'id="error-review_date"' in page and "复核日期须晚于生效日期" in page
    assert ArticleVersion.objects.count() == before


def test_articles_past_review_are_listed_for_owner_and_bureau_R30_1(kb, hr_admin, bureau, make_user, time_machine):
    time_machine.move_to(dt.datetime(2028, 3, 1, 10, tzinfo=dt.UTC))
    services.load_starting_set()  # nothing changes: the clock only moves past the review dates
    client = Client()
    client.force_login(hr_admin)
    page = client.get(reverse("knowledge_console:review_due")).content.decode()
    own = Article.objects.filter(owner_unit__code="city-hr_social_security", active=True).count()
    assert f"共{own}条" in page and "失业保险金申领条件和办理" in page and "物业费" not in page
    client.force_login(bureau)
    assert (
        f"共{Article.objects.filter(active=True).count()}条"
        in client.get(reverse("knowledge_console:review_due")).content.decode()
    )
    time_machine.move_to(dt.datetime(2027, 6, 1, 10, tzinfo=dt.UTC))
    assert not selectors.due_for_review(bureau).exists()


def test_direct_answer_cites_the_best_article_and_its_basis_R11_1_R30_1(kb):
    decision = current_engine().decide({"text": "请问北京今年什么时候开始供暖？", "kind": "consultation"})
    assert decision.disposition == "answer_directly"
    assert decision.answer["id"] == "kb-heating-period"
    assert "北京市供热采暖管理办法" in decision.answer["basis"]
    assert "政策依据：《北京市供热采暖管理办法》" in decision.reasons[0]


def test_articles_from_the_engine_defaults_are_searchable_too_R30_1(db):
    from jiesu.catalog.rules import load_default_rules

    load_default_rules()  # the engine's own articles, written without the knowledge services
    assert selectors.search("居住证")[0].article.slug == "kb-residence-permit"


def test_only_articles_with_intake_keywords_answer_a_call_R11_1(kb):
    """A topic word of the public search ("暖气不热") is what complaints say too: the article that
    explains it is found by citizens but does not answer a complaint at intake; a question form
    ("什么时候供暖") does."""
    not_warm = Article.objects.get(slug="kb-heating-not-warm")
    assert "暖气不热" in not_warm.keywords and not not_warm.intake_keywords
    assert selectors.search("暖气不热")[0].article == not_warm
    complaint = current_engine().decide({"text": "我家暖气不热，屋里才十四度，物业一直不管。"})
    assert complaint.disposition == "dispatch" and complaint.answer is None
    question = current_engine().decide({"text": "请问北京什么时候供暖？"})
    assert question.disposition == "answer_directly" and question.answer["id"] == "kb-heating-period"
    answering = {a.slug for a in Article.objects.all() if a.intake_keywords}
    from jiesu.engine.rules import default_articles

    assert answering == {a["id"] for a in default_articles()}  # what the engine was measured with


def test_a_unit_gives_its_article_intake_keywords_and_the_engine_answers_from_it_R11_1_R30_1(
    kb, hr_admin, bureau, client, settings
):
    settings.JIESU_KNOWLEDGE_NEEDS_APPROVAL = True
    article = Article.objects.get(slug="kb-annual-leave")
    question = "想问一下带薪年休假一年能休几天？"
    assert current_engine().decide({"text": question}).answer is None
    form = {**ArticleForm_initial(article), "intake_keywords": "年假几天、年休假天数，带薪年休假几天"}
    client.force_login(hr_admin)
    assert client.post(reverse("knowledge_console:edit", args=[article.slug]), form).status_code == 302
    assert current_engine().decide({"text": question}).answer is None  # not before the bureau approves
    pending = ArticleVersion.objects.get(article=article, status=ArticleVersion.PENDING)
    client.force_login(bureau)
    client.post(reverse("knowledge_console:decide", args=[pending.pk]), {"approve": "yes"})
    article.refresh_from_db()
    assert article.intake_keywords == ["年假几天", "年休假天数", "带薪年休假几天"]
    assert article.versions.get(number=article.version).intake_keywords == article.intake_keywords
    decision = current_engine().decide({"text": question})  # the edit bumped the rules' revision
    assert decision.disposition == "answer_directly" and decision.answer["id"] == "kb-annual-leave"
    listed = client.get(reverse("knowledge_console:manage"), {"q": "年休假"}).content.decode()
    assert "受理即答" in listed

    before = ArticleVersion.objects.count()
    page = client.post(reverse("knowledge_console:edit", args=[article.slug]), {**form, "intake_keywords": "年假、假"})
    assert page.status_code == 400
    assert 'id="error-intake_keywords"' in page.content.decode() and "每个至少2个字" in page.content.decode()
    assert ArticleVersion.objects.count() == before


def ArticleForm_initial(article) -> dict:
    from jiesu.knowledge.forms import ArticleForm

    data = ArticleForm.initial_for(article)
    data["active"] = "on" if data["active"] else ""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
