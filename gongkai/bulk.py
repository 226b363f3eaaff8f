"""Inserting many rows at once, for imports: COPY on PostgreSQL (several times faster than
multi-row INSERTs at a million rows), a prepared INSERT run by executemany elsewhere. Rows are plain tuples in
the order of `columns` (attribute names such as `org_id`); model defaults and `save()` are NOT
applied, so callers give every non-null column."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, models

BATCH = 2000
T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` into `model`'s table; returns how many. Runs in the caller's transaction."""
    count = 0
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[c].column) for c in columns)
    if connection.vendor == "postgresql":
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    # Elsewhere (SQLite): one prepared INSERT run many times; building model instances and
    # compiling bulk_create's SQL cost several times more than the database work.
    # Table and column names come from the model, quoted; values are parameters.
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    # Only datetimes need Django's conversion (aware -> the backend's UTC text).
    prepare = [fields[c] if isinstance(fields[c], models.DateTimeField) else None for c in columns]
    with connection.cursor() as cursor:
        for chunk in batched(rows, BATCH):
            cursor.executemany(sql, [
                [v if f is None else f.get_db_prep_save(v, connection)
                 for f, v in zip(prepare, row, strict=True)]
                for row in chunk])
            count += len(chunk)
    return count


def copy_text(model: type[models.Model], columns: Sequence[str], text: str, rows: int) -> int:
    """PostgreSQL only: COPY `text`, already in COPY's text format (tab-separated, escaped,
    one line per row, \\N for NULL), into `model`'s table; returns `rows` for the caller's count."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(fields[c].column) for c in columns)
    with connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        copy.write(text)
    return rows
