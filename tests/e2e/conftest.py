"""One app server for every end-to-end test that only reads (one Chromium per module).

The server runs on a fresh database with the demonstration data; tests that
write start a server of their own. A failed test keeps a screenshot and the
browser's console in test-artifacts/.
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


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    database = tmp_path_factory.mktemp("e2e") / "tracker.db"
    with running_app(f"sqlite:///{database}") as base:
        yield base


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
