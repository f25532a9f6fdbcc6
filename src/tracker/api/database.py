"""The API's database: the one the interface uses (`TRACKER_DATABASE_URL`),
prepared once per process (`tracker.operations.startup`)."""

from __future__ import annotations

from sqlalchemy import Engine, text

from tracker.db.engine import shared_engine
from tracker.operations.startup import prepared_engine


def engine() -> Engine:
    """The configured database, ready to read: migrated, catalogue loaded, and
    the demonstration data too when `TRACKER_DEMO` asks for it."""
    return prepared_engine()


def answers() -> bool:
    """Whether the database answers a trivial query (nothing is created)."""
    try:
        with shared_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
