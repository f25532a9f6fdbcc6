"""Engines, sessions and migrations for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tracker import config
from tracker.errors import ServiceUnavailable

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: the configured database).

    SQLite gets foreign keys on, WAL journaling and a busy timeout so that
    concurrent writers wait for each other instead of failing. A transaction
    that may write starts with `BEGIN IMMEDIATE` (see `_begin`): it takes the
    write lock before reading anything, so two writers can never both read and
    then find they cannot write ("database is locked" without waiting).
    """
    url = url or config.database_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            # The driver's own implicit BEGIN is turned off: `_begin` emits ours.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


_shared: dict[str, Engine] = {}
_shared_lock = threading.Lock()


def shared_engine(url: str | None = None) -> Engine:
    """The one engine of this process for `url` (default: the configured
    database): the interface, the API and the sign-in routes share its pool."""
    url = url or config.database_url()
    with _shared_lock:
        if url not in _shared:
            _shared[url] = make_engine(url)
        return _shared[url]


SQLITE_LOCK_RETRIES = 8


def _begin(connection) -> None:
    """SQLite: `BEGIN IMMEDIATE` for a unit of work that may write (the
    default), `BEGIN` for a read-only one. The only place where a writer waits
    for another, so the only place "database is locked" is retried: nothing has
    been read or written yet, so starting again is always safe."""
    if connection.get_execution_options().get("read_only"):
        connection.exec_driver_sql("BEGIN")
        return
    for attempt in range(SQLITE_LOCK_RETRIES):
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as error:
            if "locked" not in str(error.orig) or attempt == SQLITE_LOCK_RETRIES - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))


def session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    bind = engine.execution_options(read_only=True) if read_only else engine
    return sessionmaker(bind, expire_on_commit=False)


def is_unavailable(error: BaseException) -> bool:
    """Whether a database error means "the database cannot answer now"
    (down, unreachable, connection lost, still locked after every retry)
    rather than a mistake in a statement."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError)


@contextmanager
def unavailable_as_named_error() -> Iterator[None]:
    """The one place where the database's connection errors become
    `ServiceUnavailable`, which pages show as a clear message."""
    try:
        yield
    except DBAPIError as error:
        if is_unavailable(error):
            raise ServiceUnavailable() from error
        raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only unit of work: what queries and pages read in. It never
    writes (nothing to commit, no revision to bump), and on SQLite it runs
    beside a writer (WAL) instead of queueing for its lock. Writes go through
    actions (`tracker.db.unit_of_work`)."""
    with (
        unavailable_as_named_error(),
        session_factory(engine, read_only=True)() as session,
        session.begin(),
    ):
        yield session


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`.

    On PostgreSQL an advisory lock makes servers that start together migrate
    once, one after the other.
    """
    cfg = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT pg_advisory_lock(742018)")
            try:
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
                connection.commit()
            finally:
                connection.exec_driver_sql("SELECT pg_advisory_unlock(742018)")
                connection.commit()
    else:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
