"""A worker builds its engine before it serves (jiesu/wsgi.py), and a database that is not ready
does not stop it from starting."""

import pytest

from jiesu.catalog.models import CatalogVersion
from jiesu.dispatch import runtime

pytestmark = pytest.mark.django_db


def test_warm_up_builds_the_engine_and_its_word_cuts(fresh_engine):
    assert runtime._cache["engine"] is None
    runtime.warm_up_engine()
    engine = runtime._cache["engine"]
    assert engine is not None
    assert engine.cuts._tok is not None  # jieba's dictionary is loaded, not left to a request
    assert runtime._cache["objects"][0] is engine


def test_warm_up_without_rules_leaves_the_build_to_the_first_request(fresh_engine):
    CatalogVersion.objects.update(status=CatalogVersion.DRAFT)  # no published catalog: no rules
    runtime.warm_up_engine()  # no exception: the server must still start
    assert runtime._cache["engine"] is None
    with pytest.raises(runtime.RulesMissing):
        runtime.current_engine()
