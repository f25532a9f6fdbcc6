"""The State's look in a real browser: the Marianne typeface served by the app
itself (never a CDN) and used, and every page's header and footer with the
legal links."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest

from tests.browser import wait_for_page
from tests.conftest import ROOT
from tracker.i18n import t

FONTS = ROOT / "src" / "tracker" / "ui" / "static" / "dsfr" / "fonts"
PAGES = [
    "/",
    "/propositions",
    "/proposition?n=3",
    "/note",
    "/seances",
    "/a-propos",
    "/accessibilite",
    "/mentions-legales",
    "/donnees-personnelles",
    "/connexion",
]
FOOTER = "[class*='st-key-tracker_footer']"
HEADER = "[class*='st-key-tracker_header']"
LINKS = {
    "/mentions-legales": "legal.nav",
    "/donnees-personnelles": "privacy.nav",
    "/accessibilite": "a11y.footer_link",
}


@pytest.fixture(scope="module", autouse=True)
def fonts_installed():
    if not (FONTS / "Marianne-Regular.woff2").exists():
        if os.environ.get("CI"):
            pytest.fail("Marianne is missing: `make fonts` copies it from npm @gouvfr/dsfr")
        pytest.skip("Marianne is not installed (make fonts)")


def open_page(page, app_url: str, path: str, lang: str) -> None:
    separator = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{separator}lang={lang}")
    wait_for_page(page)


def test_marianne_is_served_by_the_app_itself_and_used(page, app_url):
    fonts = []
    page.on(
        "response",
        lambda response: fonts.append(response) if ".woff2" in response.url else None,
    )
    open_page(page, app_url, "/a-propos", "fr")
    page.wait_for_function("document.fonts.status === 'loaded'", timeout=20_000)
    assert page.evaluate("document.fonts.check('400 16px Marianne')")
    assert page.evaluate("document.fonts.check('700 16px Marianne')")
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.family.replace(/\"/g, '') === 'Marianne'"
        " && f.status === 'loaded').map(f => f.weight)"
    )
    assert "400" in loaded and "700" in loaded  # the body text and the headings
    heading = page.locator("[data-testid='stMain'] h1").first
    assert heading.evaluate("e => getComputedStyle(e).fontFamily").startswith("Marianne")
    origin = urlsplit(app_url)
    for response in fonts:  # Streamlit's own fonts too: all from the app, none from a CDN
        where = urlsplit(response.url)
        assert (where.scheme, where.netloc) == (origin.scheme, origin.netloc)
        assert response.status == 200
    marianne = [r for r in fonts if "/app/static/dsfr/fonts/Marianne-" in r.url]
    assert len(marianne) >= 2, [r.url for r in fonts]
    for response in marianne:
        assert response.header_value("content-type") == "font/woff2"
        assert len(response.body()) > 10_000


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_has_the_bloc_marque_and_the_legal_links_in_its_footer(page, app_url, lang):
    ministry = "MINISTÈRE\nDE L’EUROPE"  # in capitals (DSFR), in French in both languages
    for path in PAGES:
        open_page(page, app_url, path, lang)
        header = page.locator(HEADER)
        assert ministry in header.locator(".fr-logo").inner_text(), path
        assert header.locator(".fr-logo").get_attribute("lang") == "fr"
        assert (
            header.locator(".fr-logo")
            .evaluate(  # the Marianne drawn by DSFR's stylesheet
                "e => getComputedStyle(e, '::before').backgroundImage"
            )
            .startswith("url(")
        )
        footer = page.locator(FOOTER)
        footer.wait_for(timeout=10_000)
        assert (
            footer.bounding_box()["y"]
            > page.locator("[data-testid='stMain'] h1").first.bounding_box()["y"]
        )
        for target, key in LINKS.items():
            link = footer.get_by_role("link", name=t(key, lang))
            assert link.count() == 1, (path, key)
            href = urlsplit(link.get_attribute("href"))
            assert href.path.strip("/") == target.strip("/"), (path, key)
            assert href.query == f"lang={lang}"


def test_a_footer_link_opens_its_page_in_the_same_language(page, app_url):
    open_page(page, app_url, "/propositions", "en")
    page.locator(FOOTER).get_by_role("link", name=t("privacy.nav", "en")).click()
    page.wait_for_selector("[data-testid='stMain'] h1:has-text('Personal data')", timeout=30_000)
    assert "/donnees-personnelles" in page.url
    assert "TRACKER_DPO_CONTACT" in page.locator("[data-testid='stMain']").inner_text()
