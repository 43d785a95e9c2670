"""One row by a condition, from a statement built once per process: the handling actions' reads;
and the few rows of a transition written in one INSERT built once per row count.

Django compiles a queryset's SQL anew on every call. Measured in one worker on PostgreSQL, one
order by its key with its 34 columns costs 0.68 ms of CPU through `select_for_update().get()`
and 0.12 ms as the same statement run as text; a unit's part with its unit 1.3 ms. An action
(accept, contact, reply) reads four such rows, and at a hotline's handling rates that compile
was a third of the request's CPU.

The statements are built from the model's own fields (a column added by a migration is read with
no change here), the instances come from `Model.from_db` as the ORM's own, and each field's
database converters are applied as the ORM applies them. Conditions are SQL written by the
caller with %s parameters; only the shapes used on hot paths belong here, everything else is
the ORM's.

`exists` asks whether a row is there, of the primary; `update` is `save(update_fields=...)`
for a stored row (a part's clock, an order's status) in an UPDATE built once per model and field
list; `one_with` reads one row with only the fields named across its relations, as
`select_related().only()` does (a message to send).

`insert` is `bulk_create` for the handful of rows one request writes (a new order's unit parts,
the notices of its dispatch): bulk_create compiles its INSERT on every call, about 0.3 ms of CPU
each, three or four times per intake.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache, lru_cache

from django.db import DatabaseError, NotSupportedError, connections, router
from django.db.models import Model
from django.db.models.expressions import DatabaseDefault
from django.db.transaction import TransactionManagementError


@cache
def _columns(model: type[Model], using: str) -> tuple[str, list[str], list]:
    """The select list, the field attnames and each field's converters, for `model`'s table."""
    fields = model._meta.concrete_fields
    table = model._meta.db_table
    connection = connections[using]
    quote = connection.ops.quote_name
    select = ", ".join(f"{quote(table)}.{quote(f.column)}" for f in fields)
    converters = []
    for i, f in enumerate(fields):
        col = f.get_col(table)
        found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
        if found:
            converters.append((i, col, found))
    return select, [f.attname for f in fields], converters


def _instance(model: type[Model], values: list, using: str) -> Model:
    _, names, converters = _columns(model, using)
    connection = connections[using]
    for i, col, found in converters:
        for converter in found:
            values[i] = converter(values[i], col, connection)
    return model.from_db(using, names, values)


def one(
    model: type[Model],
    where: str,
    params: list,
    *,
    lock: bool = False,
    order_by: str = "",
    extra: str = "",
    extra_params: tuple = (),
    join: str = "",
    primary: bool = False,
) -> tuple | None:
    """(instance, *extra values) for the first row of `model` meeting `where`, or None.

    `lock`: `FOR UPDATE OF` this table only (a joined row is read, not locked), and from the
    primary; else from the database the router gives reads of `model`. `extra`: more select
    items after the model's columns (an EXISTS), with `extra_params` ahead of `params`. `join`:
    the related field to read with the row in the same statement (a part's unit): its instance
    is put on the row's relation and not returned. `primary`: read from the primary without
    locking (a row the caller has just written).
    """
    found = _fetch(model, where, params, lock, order_by, extra, extra_params, join, limit=True, primary=primary)
    return found[0] if found else None


def every(model: type[Model], where: str, params: list, *, order_by: str = "", join: str = "") -> list[Model]:
    """Every row of `model` meeting `where` (a handful: a token's candidates), `join` as in `one`."""
    return [found[0] for found in _fetch(model, where, params, False, order_by, "", (), join, limit=False)]


def _fetch(
    model, where, params, lock, order_by, extra, extra_params, join, *, limit: bool, primary: bool = False
) -> list[tuple]:
    using = router.db_for_write(model) if lock or primary else router.db_for_read(model)
    connection = connections[using]
    if lock and connection.features.has_select_for_update and connection.get_autocommit():
        # As the ORM refuses it: outside a transaction the lock would end with the statement.
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    sql, related = _statement(using, model, where, lock, order_by, extra, join, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*extra_params, *params])
        fetched = cursor.fetchall()
    width = len(_columns(model, using)[1])
    out = []
    for row in fetched:
        row = list(row)
        instance = _instance(model, row[:width], using)
        rest = row[width:]
        if related is not None:
            field, other = related
            other_width = len(_columns(other, using)[1])
            field.set_cached_value(instance, _instance(other, rest[:other_width], using))
            rest = rest[other_width:]
        out.append((instance, *rest))
    return out


# Bounded: a caller that put a value into its condition instead of a parameter would otherwise
# grow it with every request.
@lru_cache(maxsize=256)
def _statement(
    using: str, model: type[Model], where: str, lock: bool, order_by: str, extra: str, join: str, limit: bool
):
    connection = connections[using]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    select, _, _ = _columns(model, using)
    sources = table
    related = None
    if join:
        field = model._meta.get_field(join)
        other = field.related_model
        other_table = quote(other._meta.db_table)
        select += ", " + _columns(other, using)[0]
        sources += (
            f" INNER JOIN {other_table} ON ({table}.{quote(field.column)} = "
            f"{other_table}.{quote(other._meta.pk.column)})"
        )
        related = (field, other)
    if extra:
        select += ", " + extra
    sql = f"SELECT {select} FROM {sources} WHERE {where}"
    if order_by:
        sql += f" ORDER BY {order_by}"
    if limit:
        sql += " LIMIT 1"
    # SQLite has no row locks: its one writer at a time is the lock (as Django leaves out
    # select_for_update there). Elsewhere only this table's row: a plain FOR UPDATE would lock
    # a joined unit too, and every action of that unit would wait for the others.
    if lock and connection.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {table}"
    elif lock and connection.features.has_select_for_update:
        raise NotSupportedError("FOR UPDATE OF is not supported on this database.")
    return sql, related


def one_with(
    model: type[Model], where: str, params: list, *, fields: tuple[str, ...], lock: bool = False
) -> Model | None:
    """The first row of `model` meeting `where`, with only `fields` read, as the ORM's
    `select_related(...).only(*fields)` reads them, in one statement built once per process.

    `fields` are paths from `model` ("channel", "notification__order__requester_phone_enc"): each
    relation on a path is joined (LEFT where it may be empty) and its instance put on the row's
    relation (None where there is no row); every instance holds its key and only the fields named,
    the others deferred as `only()` leaves them. `where` names the table of `model` by its own
    name. `lock`: FOR UPDATE OF that table only, read from the primary.
    """
    using = router.db_for_write(model) if lock else router.db_for_read(model)
    connection = connections[using]
    if lock and connection.features.has_select_for_update and connection.get_autocommit():
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    sql, plan = _with_statement(using, model, where, fields, lock)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    made: dict[tuple, Model | None] = {}
    for path, other, via, names, key_at, converters, start in plan:
        values = list(row[start : start + len(names)])
        if via is not None and values[key_at] is None:  # no related row
            instance = None
        else:
            for i, col, found in converters:
                for converter in found:
                    values[i] = converter(values[i], col, connection)
            instance = other.from_db(using, names, values)
        if via is not None and made[path[:-1]] is not None:
            via.set_cached_value(made[path[:-1]], instance)
        made[path] = instance
    return made[()]


@lru_cache(maxsize=64)
def _with_statement(using: str, model: type[Model], where: str, fields: tuple[str, ...], lock: bool):
    """one_with's statement and how to build its instances: for each table (the row's first,
    then each relation after the one it hangs from) its path, model, relation field, attnames,
    where its key stands among them, converters and first column."""
    connection = connections[using]
    quote = connection.ops.quote_name
    root = quote(model._meta.db_table)
    tables: dict[tuple, list] = {(): [model, None, root, [model._meta.pk]]}  # path -> model, via, alias, fields
    joins = []
    for spec in fields:
        *relations, leaf = spec.split("__")
        path: tuple = ()
        for name in relations:
            parent_model, _, parent_alias, parent_fields = tables[path]
            path = (*path, name)
            if path not in tables:
                via = parent_model._meta.get_field(name)
                other = via.related_model
                alias = quote(f"w{len(tables)}")
                kind = "LEFT OUTER JOIN" if via.null else "INNER JOIN"
                joins.append(
                    f"{kind} {quote(other._meta.db_table)} {alias} ON "
                    f"({parent_alias}.{quote(via.column)} = {alias}.{quote(other._meta.pk.column)})"
                )
                tables[path] = [other, via, alias, [other._meta.pk]]
                if via not in parent_fields:
                    parent_fields.append(via)  # the key of the relation, as only() keeps it
        field = tables[path][0]._meta.get_field(leaf)
        if field not in tables[path][3]:
            tables[path][3].append(field)
    select, plan, start = [], [], 0
    for path, (other, via, alias, chosen) in tables.items():
        # from_db takes a partial row in the order of the model's fields.
        chosen.sort(key=other._meta.concrete_fields.index)
        converters = []
        for i, f in enumerate(chosen):
            select.append(f"{alias}.{quote(f.column)}")
            col = f.get_col(alias)
            found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)
            if found:
                converters.append((i, col, found))
        plan.append((path, other, via, [f.attname for f in chosen], chosen.index(other._meta.pk), converters, start))
        start += len(chosen)
    sql = f"SELECT {', '.join(select)} FROM {root} {' '.join(joins)} WHERE {where} LIMIT 1"
    if lock and connection.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {root}"
    elif lock and connection.features.has_select_for_update:
        raise NotSupportedError("FOR UPDATE OF is not supported on this database.")
    return sql, plan


def exists(model: type[Model], where: str, params: list) -> bool:
    """Whether a row of `model` meets `where` (its table named by its own name), asked of the
    primary: the hot paths that ask (a contact recorded before a reply, an Idempotency-Key sent
    before) look for what the same client has just written, which a replica may not have yet.
    Datetimes among `params` are adapted as the ORM adapts them for this database."""
    connection = connections[router.db_for_write(model)]
    adapted = [connection.ops.adapt_datetimefield_value(p) if isinstance(p, datetime) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(_exists_sql(model, using=connection.alias, where=where), adapted)
        return cursor.fetchone() is not None


@lru_cache(maxsize=64)
def _exists_sql(model: type[Model], *, using: str, where: str) -> str:
    return f"SELECT 1 FROM {connections[using].ops.quote_name(model._meta.db_table)} WHERE {where} LIMIT 1"


# Larger batches (a bulk load's) go through bulk_create, which splits them as the database needs.
INSERT_UP_TO = 50


def insert(instances: list[Model], *, extra: tuple = ()) -> None:
    """Insert new instances of one model, as `bulk_create` does (each field's pre_save and
    database preparation, keys set from RETURNING, no signals), in one statement built once per
    model and row count on PostgreSQL; elsewhere, or for many rows, through bulk_create.

    `extra`: columns PostgreSQL's table has beyond the model's fields (fields not attached to
    the model, a trigger-kept column written with the row); only a column whose value the
    database would otherwise compute belongs here, since bulk_create, elsewhere, leaves it out."""
    if not instances:
        return
    model = type(instances[0])
    using = router.db_for_write(model)
    connection = connections[using]
    given_keys = model._meta.auto_field is not None and any(i.pk is not None for i in instances)
    if connection.vendor != "postgresql" or len(instances) > INSERT_UP_TO or given_keys:
        model._default_manager.using(using).bulk_create(instances)
        return
    fields = _insert_fields(model) + list(extra)
    params = []
    for instance in instances:
        # What bulk_create does first: a key taken from a related object saved since (a part
        # made before its order's INSERT), and a refusal of one never saved.
        instance._prepare_related_fields_for_save(operation_name="insert")
        for field in fields:
            value = field.pre_save(instance, True)
            if isinstance(value, DatabaseDefault):  # the ORM's own way to write a database default
                model._default_manager.using(using).bulk_create(instances)
                return
            params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, using, len(instances), extra), params)
        keys = cursor.fetchall()
    # RETURNING gives the rows in the order of VALUES (what bulk_create relies on as well).
    for instance, (pk,) in zip(instances, keys, strict=True):
        instance.pk = pk
        instance._state.adding = False
        instance._state.db = using


@cache
def _insert_fields(model: type[Model]) -> list:
    """The columns an INSERT of a new row writes: all but an automatic key and generated ones."""
    return [
        f for f in model._meta.concrete_fields if f is not model._meta.auto_field and not getattr(f, "generated", False)
    ]


@cache
def _insert_sql(model: type[Model], using: str, rows: int, extra: tuple = ()) -> str:
    quote = connections[using].ops.quote_name
    fields = _insert_fields(model) + list(extra)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * rows)
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {values} "
        f"RETURNING {quote(model._meta.pk.column)}"
    )


def update(instance: Model, fields: tuple[str, ...]) -> None:
    """`instance.save(update_fields=fields)` for a stored row of a model that no save signal
    listens to (a part's clock, an order's status): each field's pre_save (auto_now) and
    preparation, in one UPDATE built once per model and field list on PostgreSQL; elsewhere the
    ORM's own save. A row that is gone is refused, as save(update_fields=...) refuses it."""
    model = type(instance)
    using = router.db_for_write(model, instance=instance)
    connection = connections[using]
    if connection.vendor != "postgresql":
        instance.save(update_fields=list(fields))
        return
    chosen = [model._meta.get_field(name) for name in fields]
    params = [f.get_db_prep_save(f.pre_save(instance, False), connection) for f in chosen]
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(model, using, tuple(fields)), [*params, instance.pk])
        if cursor.rowcount != 1:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    instance._state.db = using


@lru_cache(maxsize=128)
def _update_sql(model: type[Model], using: str, fields: tuple[str, ...]) -> str:
    quote = connections[using].ops.quote_name
    sets = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    return f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {quote(model._meta.pk.column)} = %s"
