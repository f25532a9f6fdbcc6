"""User text on the public pages is drawn as text: Markdown and HTML planted in
every user-writable field a public page shows (a session's label, an
organisation's names, a proposal's wording, its next steps, a validated
contribution) never reach Streamlit's Markdown as they were typed.

A planted address (`http://127.0.0.1:9/…`) left verbatim in the Markdown of an
element would be an image, a link or an autolink; escaped, its `:` and `.`
are not. The same fields are opened in Chromium, with a listener counting the
requests, in tests/e2e/test_hostile_markdown.py."""

from __future__ import annotations

import pytest

from tests.apptest import open_page
from tests.user_text import NUMBER, plant
from tracker.operations.startup import prepared_engine

BASE = "http://127.0.0.1:9"
MARKDOWN_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
)
PAGES = [("/", {}), ("propositions", {}), ("proposition", {"n": str(NUMBER)}), ("note", {})]


@pytest.fixture(scope="module")
def planted_url(seeded_sqlite_file, tmp_path_factory) -> str:
    import shutil

    path = tmp_path_factory.mktemp("user-text") / "planted.db"
    shutil.copy(seeded_sqlite_file, path)
    url = f"sqlite:///{path}"
    # Prepared as the app prepares it once per process (which reloads the
    # catalogue's files), then planted: what the pages read is what was typed.
    prepared_engine(url)
    plant(url, BASE)
    return url


def markdown_sources(app) -> list[str]:
    return [str(e.value) for kind in MARKDOWN_ELEMENTS for e in getattr(app, kind)]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("path", "params"), PAGES, ids=[p for p, _ in PAGES])
def test_no_planted_markdown_reaches_a_public_pages_markdown(
    monkeypatch, planted_url, path, params, lang
):
    app = open_page(monkeypatch, planted_url, path, lang=lang, **params)
    assert not app.exception
    verbatim = [s for s in markdown_sources(app) if "127.0.0.1" in s]
    assert verbatim == []


@pytest.mark.parametrize(
    ("path", "params", "shown"),
    [
        ("note", {}, "pixel-session"),  # « depuis la séance du … (label) »
        ("proposition", {"n": str(NUMBER)}, "pixel-title"),
        ("proposition", {"n": str(NUMBER)}, "pixel-org"),  # the lead owner's name
    ],
)
def test_the_planted_text_is_shown_escaped_as_typed(monkeypatch, planted_url, path, params, shown):
    app = open_page(monkeypatch, planted_url, path, **params)
    escaped = [
        s
        for s in markdown_sources(app)
        if "127\\.0\\.0\\.1" in s and f"{BASE}/{shown}" in s.replace("\\", "").replace("\u2060", "")
    ]
    assert escaped, f"{shown} is not on {path}"
