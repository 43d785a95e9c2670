from django.db.models import F
from django.db.models.signals import post_delete, post_save

from jiesu.directory.models import Place, Unit
from jiesu.knowledge.models import Article

from . import models

WATCHED = (
    models.TimeLimitRule,
    models.Matter,
    models.CatalogVersion,
    models.CatalogEntry,
    models.LexiconSection,
    models.HolidayOverride,
    models.Landmark,
    models.RuleSetting,
    Article,
    Unit,
    Place,
)


def bump_revision(**kwargs):
    """Every worker's cached engine compares this counter and rebuilds when it moved."""
    if kwargs.get("raw"):
        return
    updated = models.RulesRevision.objects.filter(pk=1).update(revision=F("revision") + 1)
    if not updated:
        models.RulesRevision.objects.get_or_create(pk=1, defaults={"revision": 1})


for model in WATCHED:
    post_save.connect(bump_revision, sender=model, dispatch_uid=f"rules-revision-save-{model.__name__}")
    post_delete.connect(bump_revision, sender=model, dispatch_uid=f"rules-revision-delete-{model.__name__}")
