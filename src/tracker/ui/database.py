"""The interface's database: the process's one engine, prepared when the
server starts (`tracker.web.startup`; here too, should a page run first)."""

from __future__ import annotations

from sqlalchemy import Engine

from tracker.db import settings
from tracker.db.engine import reading, unavailable_as_named_error
from tracker.errors import ServiceUnavailable
from tracker.operations.startup import prepared_engine


def engine() -> Engine:
    """The database engine, migrated and seeded; `ServiceUnavailable` while
    the database does not answer."""
    with unavailable_as_named_error():
        return prepared_engine()


def revision(db: Engine) -> int:
    """The data revision: every committed write moves it."""
    with reading(db) as session:
        return settings.revision(session)


def database_answers() -> bool:
    try:
        revision(engine())
    except ServiceUnavailable:
        return False
    return True
