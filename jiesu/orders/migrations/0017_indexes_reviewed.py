"""Indexes of the orders reviewed for a store of 100M orders (issue 17, item 4).

Every index is written on every intake and every status change. Dropped, with what serves their
queries instead:
- ``status`` (and PostgreSQL's LIKE twin ``status_like``): the leading column of the
  (status, received_at) index every work list uses;
- the LIKE twins of ``requester_phone_index``, ``text_key_id`` and ``matter_code``: these are
  looked up by equality only (a blind index, a key id, matter codes); their plain B-trees stay,
  renamed to the names ``Meta.indexes`` now gives them;
- ``orderunit.unit_id``: the leading column of the (unit, active) index.

No index is built here: the kept ones are renamed (a catalogue change), the others dropped, so the
migration takes moments on a live database of any size. On SQLite, which has neither LIKE twins
nor ALTER INDEX ... RENAME, the kept indexes are made again under their new names.
"""

from django.db import migrations, models

# (table, column, new name of its plain index, or None to drop it)
PLAIN = [
    ("orders_workorder", "requester_phone_index", "orders_caller_phone"),
    ("orders_workorder", "text_key_id", "orders_text_key"),
    ("orders_workorder", "matter_code", "orders_matter"),
    ("orders_workorder", "status", None),
    ("orders_orderunit", "unit_id", None),
]
LIKE_TWINS = [("orders_workorder", c) for c in ("requester_phone_index", "text_key_id", "matter_code", "status")]


def _name(schema_editor, table: str, column: str, suffix: str = "") -> str:
    return schema_editor._create_index_name(table, [column], suffix=suffix)


def forward(apps, schema_editor):
    quote = schema_editor.quote_name
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        for table, column in LIKE_TWINS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(_name(schema_editor, table, column, '_like'))}")
    for table, column, new in PLAIN:
        old = quote(_name(schema_editor, table, column))
        if new is None:
            schema_editor.execute(f"DROP INDEX IF EXISTS {old}")
        elif postgres:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {old} RENAME TO {quote(new)}")
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {old}")
            schema_editor.execute(f"CREATE INDEX {quote(new)} ON {quote(table)} ({quote(column)})")


def backward(apps, schema_editor):
    quote = schema_editor.quote_name
    postgres = schema_editor.connection.vendor == "postgresql"
    for table, column, new in PLAIN:
        old = quote(_name(schema_editor, table, column))
        if new is not None and postgres:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {quote(new)} RENAME TO {old}")
            continue
        if new is not None:
            schema_editor.execute(f"DROP INDEX IF EXISTS {quote(new)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {old} ON {quote(table)} ({quote(column)})")
    if postgres:
        for table, column in LIKE_TWINS:
            like = quote(_name(schema_editor, table, column, "_like"))
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {like} ON {quote(table)} ({quote(column)} varchar_pattern_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_social_unit_kinds"),
        ("orders", "0016_partition_personal_data_reads"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="orderunit",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.PROTECT,
                        related_name="assignments",
                        to="directory.unit",
                        verbose_name="单位",
                    ),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="matter_code",
                    field=models.CharField(blank=True, max_length=80, verbose_name="事项"),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="requester_phone_index",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="status",
                    field=models.CharField(
                        choices=[
                            ("received", "已受理"),
                            ("pending_review", "待派单审核"),
                            ("dispatched", "已派单"),
                            ("in_progress", "办理中"),
                            ("replied", "已答复"),
                            ("closed", "已办结"),
                            ("answered", "已直接答复"),
                            ("transferred", "已转出"),
                            ("return_visit", "待回访"),
                        ],
                        default="received",
                        max_length=20,
                        verbose_name="状态",
                    ),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="text_key_id",
                    field=models.CharField(blank=True, editable=False, max_length=32),
                ),
                migrations.AddIndex(
                    model_name="workorder",
                    index=models.Index(fields=["requester_phone_index"], name="orders_caller_phone"),
                ),
                migrations.AddIndex(
                    model_name="workorder",
                    index=models.Index(fields=["text_key_id"], name="orders_text_key"),
                ),
                migrations.AddIndex(
                    model_name="workorder",
                    index=models.Index(fields=["matter_code"], name="orders_matter"),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
