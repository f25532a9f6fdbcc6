"""Shared fixtures: real databases (SQLite files and this machine's PostgreSQL),
seeded once per test session and copied or rebuilt where a test writes."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tracker.db.engine import make_engine, transaction
from tracker.services.seed import prepare_database

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def postgres_available() -> bool:
    try:
        with create_engine(POSTGRES_URL).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def seeded_sqlite_file(tmp_path_factory) -> Path:
    """A SQLite database with the catalogue and the demonstration data, built once."""
    path = tmp_path_factory.mktemp("db") / "seeded.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine, demo=True)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """An empty SQLite database of this test's own."""
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@pytest.fixture
def demo_sqlite_url(seeded_sqlite_file, tmp_path) -> str:
    """A copy of the seeded database that this test may change."""
    path = tmp_path / "demo.db"
    shutil.copy(seeded_sqlite_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in this machine's PostgreSQL, dropped afterwards, so
    that runs never collide."""
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request) -> str:
    """The same test on the embedded SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(any_url) -> Iterator[Engine]:
    """An empty, migrated database on each backend."""
    from tracker.db.engine import upgrade

    db = make_engine(any_url)
    upgrade(db)
    yield db
    db.dispose()


@pytest.fixture
def demo_engine(any_url) -> Iterator[Engine]:
    """A database with the catalogue and demonstration data, on each backend."""
    db = make_engine(any_url)
    prepare_database(db, demo=True)
    yield db
    db.dispose()


@pytest.fixture
def session_of():
    """`with session_of(engine) as session:` — one transaction."""
    return transaction


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's report, so a fixture can keep a failed test's screenshot."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
