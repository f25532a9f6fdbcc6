"""The one place that prepares the database: migrated, catalogue loaded and,
when `TRACKER_DEMO` asks for it, the demonstration data — once per process and
database, when the server starts (`tracker.web.startup`), before anyone opens a
page. The interface, the API and the sign-in routes then share its engine."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from tracker import config
from tracker.db.engine import shared_engine
from tracker.operations.seed import prepare_database

_lock = threading.Lock()
_prepared: set[str] = set()


def prepared_engine(url: str | None = None) -> Engine:
    """The shared engine of `url` (default: the configured database), prepared
    the first time it is asked for in this process. A database that does not
    answer raises the driver's error (each caller names it its own way); the
    next call tries again."""
    url = url or config.database_url()
    engine = shared_engine(url)
    if url not in _prepared:
        with _lock:
            if url not in _prepared:
                prepare_database(engine, demo=config.demo_requested())
                _prepared.add(url)
    return engine
