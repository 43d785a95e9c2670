"""Publishing a dispatch catalog version (R11.4, R12.1): one service records who published it and
when, the admin's action goes through it, and a published version is not published twice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiesu.catalog import services
from jiesu.catalog.models import CatalogEntry, CatalogVersion, RulesRevision

AT = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def draft(db):
    current = CatalogVersion.objects.get(status=CatalogVersion.PUBLISHED)
    version = CatalogVersion.objects.create(version="2027-draft", effective_from=timezone.localdate(), note="明年目录")
    CatalogEntry.objects.bulk_create(
        [
            CatalogEntry(
                version=version, matter_code=e.matter_code, level=e.level, lead=e.lead, assist=e.assist, note=e.note
            )
            for e in current.entries.all()
        ]
    )
    return version


@pytest.fixture
def admin_user(make_user):
    return make_user("bureau_admin", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_publish_version_records_who_and_when_and_moves_the_rules_revision(draft, admin_user):
    before = RulesRevision.objects.get(pk=1).revision
    with time_machine.travel(AT, tick=False):
        published = services.publish_version(draft, actor=admin_user)
    draft.refresh_from_db()
    assert published is draft
    assert (draft.status, draft.published_at, draft.published_by) == (CatalogVersion.PUBLISHED, AT, admin_user)
    assert RulesRevision.objects.get(pk=1).revision > before  # every worker's engine rebuilds
    # Past orders are dispatched by a published version: its entries no longer change.
    with pytest.raises(ValidationError, match="已发布的派单目录版本不能修改"):
        draft.entries.first().full_clean()


@pytest.mark.django_db
def test_a_published_version_is_not_published_again(draft, admin_user, make_user):
    services.publish_version(draft, actor=admin_user)
    draft.refresh_from_db()
    first = (draft.published_at, draft.published_by_id)
    with pytest.raises(ValidationError) as refused:
        services.publish_version(draft, actor=make_user("bureau_admin", is_staff=True, is_superuser=True))
    assert "status" in refused.value.message_dict and "2027-draft" in refused.value.message_dict["status"][0]
    draft.refresh_from_db()
    assert (draft.published_at, draft.published_by_id) == first


@pytest.mark.django_db
def test_admin_publish_action_goes_through_the_service(draft, admin_user, client):
    client.force_login(admin_user)
    response = client.post(
        "/admin/catalog/catalogversion/", {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "已发布 2027-draft" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == CatalogVersion.PUBLISHED and draft.published_by == admin_user
    assert draft.published_at is not None
