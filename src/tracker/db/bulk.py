"""Many rows into one table at once, in the caller's transaction.

PostgreSQL gets them through `COPY … FROM STDIN` (psycopg's `Cursor.copy`),
several times faster than an executemany of the same rows; SQLite (and
anything else) through an executemany in batches. Either way the rows are
plain dictionaries of column values, and nothing is committed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy.orm import Session

BATCH = 5_000


def _batches(rows: Iterable[Mapping[str, object]], size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _connection(where: Session | Connection) -> Connection:
    if isinstance(where, Session):
        where.flush()  # what the session holds goes first, as an ORM write would
        return where.connection()
    return where


def insert_rows(
    where: Session | Connection,
    table: Table,
    rows: Iterable[Mapping[str, object]],
    columns: list[str] | None = None,
) -> int:
    """Insert `rows` (each with the same keys, `columns` if given, else the
    first row's) into `table`; how many were inserted."""
    connection = _connection(where)
    count = 0
    for batch in _batches(rows, BATCH):
        names = columns or list(batch[0])
        if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
            # COPY knows no Python-side default: columns left out get theirs here.
            defaults = {
                column.name: column.default.arg
                for column in table.columns
                if column.name not in names
                and column.default is not None
                and column.default.is_scalar
            }
            quoted = ", ".join(f'"{name}"' for name in [*names, *defaults])
            tail = list(defaults.values())
            cursor = connection.connection.driver_connection.cursor()
            with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row([*(row[name] for name in names), *tail])
        else:
            connection.execute(insert(table), batch)
        count += len(batch)
    return count


def next_ids(where: Session | Connection, table: Table, count: int) -> list[int]:
    """`count` new ids for `table`, handed out at once, so that the rows can
    go in without RETURNING: from the table's sequence on PostgreSQL; on
    SQLite the ones it would give itself (after the largest), which no one
    else can take meanwhile since a writing transaction holds the database's
    write lock from its start (`BEGIN IMMEDIATE`, `db.engine`)."""
    connection = _connection(where)
    if connection.dialect.name == "postgresql":
        return list(
            connection.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :count)"
                ),
                {"table": table.name, "count": count},
            )
        )
    largest = connection.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + 1 + count))
