"""Shared fixtures: real databases (SQLite files and this machine's PostgreSQL),
seeded once per test session and copied or rebuilt where a test writes."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Cheap argon2id parameters for the whole suite (see tracker.services.accounts).
os.environ["TRACKER_FAST_PASSWORD_HASHING"] = "1"
# Tests sign the same demonstration accounts in hundreds of times; the limits
# themselves are tested with their defaults (tests/test_hostile_sign_in.py).
os.environ["TRACKER_SIGN_IN_PER_CLIENT"] = "100000 per minute"
os.environ["TRACKER_SIGN_IN_PER_ADDRESS"] = "100000 per minute"
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.operations.seed import prepare_database

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


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema in this machine's PostgreSQL, dropped afterwards, so
    that runs never collide: its URL."""
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


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL schema of this test's own."""
    with postgres_schema() as url:
        yield url


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


def _open_pages(value) -> list:
    """The Playwright pages a fixture's value holds: a page, a context's pages,
    a browser's contexts' pages (duck-typed: Playwright is optional here)."""
    if hasattr(value, "screenshot") and hasattr(value, "goto"):
        return [value]
    if hasattr(value, "pages") and hasattr(value, "new_page"):
        return list(value.pages)
    if hasattr(value, "contexts") and hasattr(value, "new_context"):
        return [page for context in value.contexts for page in context.pages]
    return []


@pytest.fixture(autouse=True)
def _screenshots_of_a_failed_browser_test(request):
    """A failed test keeps a screenshot of every page still open in the
    browsers, contexts and pages its fixtures gave it (the browser fixtures of
    tests/e2e and tests/test_browser.py keep their own tab's as well), in
    test-artifacts/<test>-open<n>.png."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    pages = [page for value in request.node.funcargs.values() for page in _open_pages(value)]
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)[:120]
    for index, page in enumerate(pages):
        try:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "test-artifacts" / f"{name}-open{index}.png"))
        except Exception:  # a page closed meanwhile: nothing left to show
            continue


# Contributions, accounts and roles -------------------------------------------


@pytest.fixture(scope="session")
def demo_postgres_url(tmp_path_factory) -> Iterator[str]:
    """One PostgreSQL schema with the demonstration data, shared by the tests
    that run inside a transaction rolled back afterwards (`db`)."""
    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and does not answer at {POSTGRES_URL}")
        pytest.skip("PostgreSQL does not answer on 127.0.0.1:5432")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    prepare_database(engine, demo=True)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Iterator[Session]:
    """A session on a database with the demonstration accounts and
    contributions, on each backend; whatever the test writes is thrown away."""
    if request.param == "sqlite":
        path = tmp_path / "demo.db"
        shutil.copy(request.getfixturevalue("seeded_sqlite_file"), path)
        engine = make_engine(f"sqlite:///{path}")
        session = Session(engine)
        try:
            yield session
        finally:
            session.rollback()
            session.close()
            engine.dispose()
        return
    engine = make_engine(request.getfixturevalue("demo_postgres_url"))
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
        engine.dispose()


# Pages and command line on the chosen backend -------------------------------------

TEST_DATABASE = os.environ.get("TRACKER_TEST_DATABASE", "sqlite").strip().lower()


@contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """An empty database for a whole module (a running app server, say), on the
    backend `TRACKER_TEST_DATABASE` names: a SQLite file in `directory`, or a
    PostgreSQL schema dropped afterwards."""
    if TEST_DATABASE == "postgresql":
        with postgres_schema() as url:
            yield url
    else:
        yield f"sqlite:///{directory / 'tracker.db'}"


@pytest.fixture
def app_url(request) -> str:
    """An empty database for a page or command-line test: SQLite, or PostgreSQL
    with `TRACKER_TEST_DATABASE=postgresql` (`make test-postgresql`)."""
    if TEST_DATABASE == "postgresql":
        return request.getfixturevalue("postgres_url")
    return request.getfixturevalue("sqlite_url")


@pytest.fixture
def demo_app_url(request) -> str:
    """A database with the demonstration data that this test may change, on the
    backend `TRACKER_TEST_DATABASE` names (SQLite by default)."""
    if TEST_DATABASE == "postgresql":
        url = request.getfixturevalue("postgres_url")
        engine = make_engine(url)
        prepare_database(engine, demo=True)
        engine.dispose()
        return url
    return request.getfixturevalue("demo_sqlite_url")
