from django.db import migrations

# The Beijing centre's usual checklist; the bureau edits it in the admin.
DEFAULTS = [
    ("complete_fields", "记录要素完整（诉求人、联系方式、地点、时间）", 25),
    ("kind_and_matter", "诉求类型和事项判断准确", 25),
    ("callers_words", "如实记录诉求人原意，不随意概括或增删", 25),
    ("courtesy", "服务用语规范，态度礼貌耐心", 25),
]


def load(apps, schema_editor):
    QualityItem = apps.get_model("centre", "QualityItem")
    for position, (code, label, weight) in enumerate(DEFAULTS):
        QualityItem.objects.get_or_create(code=code, defaults={"label": label, "weight": weight, "position": position})


class Migration(migrations.Migration):
    dependencies = [("centre", "0004_quality")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
