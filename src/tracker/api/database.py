"""The API's database: the one the interface uses (`TRACKER_DATABASE_URL`),
created, migrated and seeded on first use exactly as the interface does it."""

from __future__ import annotations

import threading
from functools import cache

from sqlalchemy import Engine, text

from tracker import config
from tracker.db.engine import make_engine
from tracker.operations.seed import prepare_database

_lock = threading.Lock()
_prepared: set[str] = set()


@cache
def _engine(url: str) -> Engine:
    return make_engine(url)


def engine() -> Engine:
    """The configured database, ready to read: migrated, catalogue loaded, and
    the demonstration data too when `TRACKER_DEMO` asks for it."""
    url = config.database_url()
    db = _engine(url)
    if url not in _prepared:
        with _lock:
            if url not in _prepared:
                prepare_database(db, demo=config.demo_requested())
                _prepared.add(url)
    return db


def answers() -> bool:
    """Whether the database answers a trivial query (nothing is created)."""
    try:
        with _engine(config.database_url()).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
