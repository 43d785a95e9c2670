"""Migration 0003's data step on a centre that already has articles: the shipped articles the
engine answered from keep answering, the rest of the starting set stops, and articles a centre
wrote keep answering by their keywords (issue 11: the whole starting base answered complaints).
The step is run on the current models: the schema step is Django's own AddField."""

import importlib

import pytest
from django.apps import apps

from jiesu.knowledge.models import Article, ArticleVersion

fill_intake_keywords = importlib.import_module("jiesu.knowledge.migrations.0003_intake_keywords").fill_intake_keywords


@pytest.mark.django_db
def test_intake_keywords_are_filled_for_shipped_engine_articles_and_centre_articles():
    rows = {
        "kb-residence-permit": ["居住证"],  # one of the engine's own articles
        "kb-heating-not-warm": ["暖气不热"],  # starting set, topic words only
        "centre-own-parking": ["错时停车怎么申请"],  # written by the centre
    }
    for slug, words in rows.items():
        # The test database may hold the shipped articles already (migrations load the rules).
        article, created = Article.objects.get_or_create(
            slug=slug, defaults={"title": slug, "body": "正文" * 12, "keywords": words, "version": 1}
        )
        Article.objects.filter(pk=article.pk).update(keywords=words, intake_keywords=[])
        if created:
            ArticleVersion.objects.create(
                article=article, number=1, title=slug, body=article.body, keywords=words, category="policy"
            )
    assert not any(a.intake_keywords for a in Article.objects.filter(slug__in=rows))  # as the schema step leaves them

    fill_intake_keywords(apps, None)

    got = {a.slug: a.intake_keywords for a in Article.objects.all()}
    assert got["kb-residence-permit"][:2] == ["居住证", "办理居住证"]  # the shipped question forms
    assert got["kb-heating-not-warm"] == []
    assert got["centre-own-parking"] == ["错时停车怎么申请"]
    assert ArticleVersion.objects.get(article__slug="centre-own-parking", number=1).intake_keywords == [
        "错时停车怎么申请"
    ]
