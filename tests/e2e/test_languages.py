"""Every page in the browser, in French and in English, signed out and signed
in as each role: no English of Streamlit's on a French page, no French on an
English one, and full-page screenshots of each at 1280 and 1920 px wide into
test-artifacts/screenshots/ (to look at; nothing compares them).

The pages are found as a person finds them: the menu's links and the page's
own (the footer's), plus the pages that need an address (one proposal, one
session). Signing in opens a session that holds across page loads (README,
`/connexion`), so the tests go straight to each address.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.browser import (
    ARTIFACTS,
    chromium_available,
    run_ended,
    running_app,
    signed_in,
    wait_for_page,
)
from tests.conftest import fresh_database
from tests.e2e.conftest import ready
from tests.languages import (
    LINKS,
    PAGE_TEXTS,
    english_offenders,
    french_offenders,
    page_paths,
)
from tracker.clock import today
from tracker.db.engine import make_engine
from tracker.domain.permissions import SYSTEM
from tracker.review_sessions.actions import plan_session

ROLES = {
    "public": None,
    "administrateur": "admin@demo.invalid",
    "secretariat": "secretariat@demo.invalid",
    "contributeur": "lyon@demo.invalid",
}
BROWSER_LOCALES = {"fr": "fr-FR", "en": "en-GB"}  # as the person's own browser would be
SCREENSHOTS = ARTIFACTS / "screenshots"
WIDTHS = (1280, 1920)


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """A server of its own: signing in writes (sessions, sign-in records).
    The demonstration has no session of the working group: one is planned,
    so that `/seance?id=1` shows its agenda and the secretariat's forms."""
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("languages")) as url:
        ready(url)
        engine = make_engine(url)
        try:
            planned = plan_session(engine, SYSTEM, today() + timedelta(days=14), "CNCD 2026 (test)")
        finally:
            engine.dispose()
        assert planned.id == 1
        with running_app(url) as base:
            yield base


def opened(browser, base: str, who: str, lang: str, width: int = 1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=BROWSER_LOCALES[lang]
    )
    page = context.new_page()
    if ROLES[who]:
        signed_in(page, base, ROLES[who], lang=lang)
    else:
        page.goto(f"{base}/?lang={lang}")
        wait_for_page(page)
    return context, page


def visit(page, base: str, path: str, lang: str) -> None:
    separator = "&" if "?" in path else "?"
    page.goto(f"{base}{path}{separator}lang={lang}")
    wait_for_page(page)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=10_000)


def every_view(page):
    """Each tab of the page in turn, its folded sections opened: yields the
    tab's name ("" for a page without tabs) once it is drawn."""
    tabs = page.get_by_role("tab")
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())] or [""]
    for index, name in enumerate(names):
        if name:
            tabs.nth(index).click()
            run_ended(page)
        closed = page.locator("[data-testid='stExpander'] details:not([open]) > summary")
        for _ in range(closed.count()):
            closed.first.click()
        yield name


def pages_of(page, base: str) -> list[str]:
    return page_paths(page.evaluate(LINKS))


@pytest.mark.parametrize("who", list(ROLES))
def test_no_english_of_streamlits_on_french_pages_and_no_french_on_english_ones(
    browser, own_app, who
):
    offenders: dict[str, list[str]] = {}
    for lang, offending in (("fr", english_offenders), ("en", french_offenders)):
        context, page = opened(browser, own_app, who, lang)
        try:
            for path in pages_of(page, own_app):
                visit(page, own_app, path, lang)
                for tab in every_view(page):
                    found = offending(page.evaluate(PAGE_TEXTS))
                    if found:
                        offenders[f"{lang} {path} {tab}".strip()] = sorted(found)
        finally:
            context.close()
    report = "\n".join(f"{where}: {found}" for where, found in sorted(offenders.items()))
    assert offenders == {}, f"wrong language on {len(offenders)} views:\n{report}"


def full_page_screenshot(page, path) -> None:
    """The whole page, not only the window: Streamlit scrolls inside its main
    area, so the window is made as tall as what the page holds."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll(
            "[data-testid='stMain'], [data-testid='stMainBlockContainer'], [data-testid='stSidebar']"
          )].map((e) => e.scrollHeight), document.body.scrollHeight)"""
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16_000)})
    run_ended(page)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 900})


def slug(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower())
    return "-".join(part for part in cleaned.split("-") if part)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_screenshots_of_every_page_in_both_languages(browser, own_app, lang, width):
    """Signed out: every public page; signed in: the pages the role adds (and
    a proposal and a session, which show the secretariat's forms)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    public: list[str] = []
    taken = []
    for who in ROLES:
        context, page = opened(browser, own_app, who, lang, width)
        try:
            paths = pages_of(page, own_app)
            if who == "public":
                public = paths
            else:
                extra = ("/proposition?n=3", "/seance?id=1") if who == "secretariat" else ()
                paths = [p for p in paths if p not in public or p in extra]
            for path in paths:
                visit(page, own_app, path, lang)
                for tab in every_view(page):
                    name = "-".join(
                        filter(None, [who, slug(path.split("?")[0]) or "accueil", slug(tab)])
                    )
                    target = SCREENSHOTS / f"{lang}-{width}-{name}.png"
                    full_page_screenshot(page, target)
                    taken.append(target)
        finally:
            context.close()
    assert len(taken) >= 12
    assert all(p.stat().st_size > 10_000 for p in taken)


def test_switching_language_puts_streamlits_own_texts_back_without_reloading(browser, own_app):
    context, page = opened(browser, own_app, "public", "fr")
    try:
        visit(page, own_app, "/connexion", "fr")
        shown = "[aria-label='Afficher les caractères saisis']"
        page.wait_for_selector(shown, state="attached", timeout=10_000)
        assert page.get_by_text("Aller au contenu principal").count() == 1
        assert english_offenders(page.evaluate(PAGE_TEXTS)) == []
        page.evaluate("window.__same_document = true")
        page.get_by_role("radio", name="English").click()
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
        run_ended(page)
        page.wait_for_selector("[aria-label='Show password']", state="attached", timeout=10_000)
        assert page.locator(shown).count() == 0
        assert page.get_by_text("Skip to main content").count() == 1
        assert french_offenders(page.evaluate(PAGE_TEXTS)) == []
        assert page.evaluate("window.__same_document") is True
    finally:
        context.close()
