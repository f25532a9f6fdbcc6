"""One app server for every end-to-end test that only reads (one Chromium per module).

The server runs on a fresh database with the demonstration data; tests that
write use `writable_app`, a second server shared by the journeys and the
hostile forms (their checks compare before and after, never absolute counts),
or start a server of their own when they need other settings. A failed test
keeps a screenshot and the browser's console in test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    keep_evidence,
    running_app,
    watch,
)
from tests.conftest import fresh_database
from tracker.db.engine import make_engine
from tracker.operations.seed import prepare_database


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("e2e")) as url, running_app(url) as base:
        yield base


def ready(url: str) -> None:
    """Create, migrate and seed the database as the app's first page run would,
    so that a test can read it before any page has been opened."""
    engine = make_engine(url)
    try:
        prepare_database(engine, demo=True)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def writable_app(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A server whose database the tests change: (base URL, database URL)."""
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("e2e-writes")) as url:
        ready(url)
        with running_app(url) as base:
            yield base, url


@pytest.fixture
def tabs(browser, request):
    """`tabs()` opens one more tab, in a browser context of its own (its own
    cookies: one person each); all are closed at the end, after a failure
    with a screenshot each."""
    opened = []

    def open_tab():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab = watch(context.new_page())
        opened.append((context, tab))
        return tab

    yield open_tab
    for index, (context, tab) in enumerate(opened):
        keep_evidence(tab, request.node, suffix=f"-{index}")
        context.close()


# One Playwright per module: two sync Playwright instances cannot be alive at
# once, and tests/test_browser.py starts its own.
@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    """A fresh tab that records dialogs and console errors (a script that
    runs where it should not usually opens one or the other)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = watch(context.new_page())
    yield tab
    keep_evidence(tab, request.node)
    context.close()
