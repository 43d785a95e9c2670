"""The default rules version, Beijing-style (weights and the 0.9 basically-satisfied factor are one
district's published practice [2nd]: the bureau changes them in the admin, as a new version)."""

import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    RuleSet = apps.get_model("assessment", "RuleSet")
    ScopeRule = apps.get_model("assessment", "ScopeRule")
    if RuleSet.objects.exists():
        return
    rs = RuleSet.objects.create(
        name="接诉即办三率考核（默认）", effective_from=datetime.date(2019, 1, 1),
        note="响应率10%、解决率45%、满意率45%；满意率=(满意+0.9×基本满意)/有效回访；协办单位按0.5件计；"
             "咨询类工单只评价响应率。")
    ScopeRule.objects.create(ruleset=rs, position=10, kind="consultation", scope="response_only")


def backwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
