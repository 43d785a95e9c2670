"""Migration 0003 on a centre that already has articles: the shipped articles the engine answered
from keep answering, the rest of the starting set stops, and articles a centre wrote keep
answering by their keywords (issue 11: the whole starting base answered complaints)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("knowledge", "0002_open_knowledge_base")]
AFTER = [("knowledge", "0003_intake_keywords")]


@pytest.mark.django_db(transaction=True)
def test_intake_keywords_are_filled_for_shipped_engine_articles_and_centre_articles():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Article, Version = old.get_model("knowledge", "Article"), old.get_model("knowledge", "ArticleVersion")
    rows = {
        "kb-residence-permit": ["居住证"],  # one of the engine's own articles
        "kb-heating-not-warm": ["暖气不热"],  # starting set, topic words only
        "centre-own-parking": ["错时停车怎么申请"],  # written by the centre
    }
    # The test database may hold the shipped articles already (a previous test's commit).
    Version.objects.filter(article__slug__in=rows).delete()
    Article.objects.filter(slug__in=rows).delete()
    for slug, words in rows.items():
        article = Article.objects.create(slug=slug, title=slug, body="正文" * 12, keywords=words, version=1)
        Version.objects.create(
            article=article, number=1, title=slug, body=article.body, keywords=words, category="policy"
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Article, Version = new.get_model("knowledge", "Article"), new.get_model("knowledge", "ArticleVersion")
    got = {a.slug: a.intake_keywords for a in Article.objects.all()}
    assert got["kb-residence-permit"][:2] == ["居住证", "办理居住证"]  # the shipped question forms
    assert got["kb-heating-not-warm"] == []
    assert got["centre-own-parking"] == ["错时停车怎么申请"]
    assert Version.objects.get(article__slug="centre-own-parking", number=1).intake_keywords == ["错时停车怎么申请"]
