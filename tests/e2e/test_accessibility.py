"""Accessibility in the browser (RGAA 4.1 / WCAG 2.1 AA): axe-core on every
page in both languages, the declared language, the charts' text alternatives,
status never by colour alone, and the proposals table with the keyboard alone.

Each axe run is saved as JSON in test-artifacts/axe/<page>-<lang>.json.
"""

from __future__ import annotations

import os

import pytest

from tests.a11y import axe_available, blocking, run_axe
from tests.browser import wait_for_page
from tracker.domain.vocabulary import Status
from tracker.i18n import t, typography

PAGES = {
    "tableau-de-bord": "/",
    "propositions": "/propositions",
    "proposition": "/proposition?n=3",
    "note": "/note",
    "a-propos": "/a-propos",
    "accessibilite": "/accessibilite",
    "mentions-legales": "/mentions-legales",
    "donnees-personnelles": "/donnees-personnelles",
}
ACTIVE = "() => document.activeElement && document.activeElement.getAttribute('aria-label')"


@pytest.fixture(scope="module", autouse=True)
def axe_installed():
    if not axe_available():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: `make e2e` installs it")
        pytest.skip("axe-core is not installed (make e2e)")


def open_page(page, app_url: str, path: str, lang: str) -> None:
    separator = "&" if "?" in path else "?"
    page.goto(f"{app_url}{path}{separator}lang={lang}")
    wait_for_page(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violation_and_the_page_says_its_language(
    page, app_url, name, lang
):
    open_page(page, app_url, PAGES[name], lang)
    if name == "tableau-de-bord":
        page.wait_for_selector(".js-plotly-plot .legendtext", timeout=30_000)
    # set by a script as soon as the sidebar is drawn
    page.wait_for_function(f"document.documentElement.lang === '{lang}'", timeout=10_000)
    result = run_axe(page, f"{name}-{lang}")
    assert blocking(result) == []
    assert page.dialogs == []
    if name == "tableau-de-bord":  # the same load serves the checks of the charts
        status_is_written_out_in_the_legends(page, lang)
        if lang == "fr":
            every_chart_has_a_heading_a_summary_sentence_and_its_table(page)
    if name == "note":  # the briefing shows figures and tables, never a bare chart
        assert page.locator("[data-testid='stPlotlyChart']").count() == 0


def test_switching_language_changes_the_declared_language_without_reloading(page, app_url):
    open_page(page, app_url, "/a-propos", "fr")
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=10_000)
    page.evaluate("window.__same_document = true")
    page.get_by_role("radio", name="English").click()
    page.wait_for_selector("h1:has-text('About')", timeout=45_000)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    assert page.evaluate("window.__same_document") is True


def test_streamlits_stop_button_is_legible_while_a_page_runs(page, app_url):
    """The « Stop » button shows only while a script runs (too briefly to audit
    reliably): a button where Streamlit puts it must take the page's text
    colour, not Streamlit's light grey (3.3:1)."""
    open_page(page, app_url, "/a-propos", "fr")
    page.wait_for_function("document.documentElement.lang === 'fr'", timeout=10_000)
    colour = page.evaluate(
        """() => {
          const widget = document.createElement("div");
          widget.setAttribute("data-testid", "stStatusWidget");
          const button = document.createElement("button");
          button.textContent = "Stop";
          widget.appendChild(button);
          document.body.appendChild(widget);
          const colour = getComputedStyle(button).color;
          widget.remove();
          return colour;
        }"""
    )
    assert colour == "rgb(22, 22, 22)"  # STATUS_TEXT_COLOR, 17.7:1 on white


def every_chart_has_a_heading_a_summary_sentence_and_its_table(page) -> None:
    main = page.locator("[data-testid='stMain']")
    charts = main.locator("[data-testid='stPlotlyChart']")
    count = charts.count()
    assert count >= 4
    tables = main.locator("[data-testid='stExpander']", has_text=t("chart.show_table", "fr"))
    assert tables.count() == count
    for index in range(count):
        block = charts.nth(index).locator(
            "xpath=ancestor::div[contains(@class,'stElementContainer')][1]"
        )
        heading = block.locator("xpath=preceding-sibling::div[1]//*[self::h2 or self::h3]")
        assert heading.inner_text().strip()
        summary = block.locator("xpath=following-sibling::div[1]")
        assert len(summary.inner_text().strip()) > 20
        tables.nth(index).locator("summary").click()
        table = tables.nth(index).locator("[data-testid='stDataFrame']")
        table.wait_for(timeout=10_000)
        assert table.is_visible()


def status_is_written_out_in_the_legends(page, lang: str) -> None:
    legend = " ".join(text or "" for text in page.locator(".legendtext").all_text_contents())
    assert sum(status.label(lang) in legend for status in Status) >= 4


def test_a_proposals_status_is_written_out_not_told_by_colour(page, app_url):
    open_page(page, app_url, "/proposition?n=3", "fr")
    text = page.locator("[data-testid='stMain']").inner_text()
    said = typography("Statut : ", "fr")
    assert any(f"{said}{status.badge('fr')}" in text for status in Status)


def tab_to(page, label: str, presses: int = 40) -> None:
    """Press Tab until the control named `label` has the focus."""
    for _ in range(presses):
        if page.evaluate(ACTIVE) == label:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached «{label}»")


def test_the_proposals_table_works_with_the_keyboard_alone(page, app_url):
    open_page(page, app_url, "/propositions", "fr")
    main = page.locator("[data-testid='stMain']")
    tab_to(page, t("filter.theme", "fr"))
    page.keyboard.type("Solid")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_selector("text=8 propositions sur 20", timeout=20_000)
    assert "theme=solidaire" in page.url

    tab_to(page, t("filter.search", "fr"))
    page.keyboard.type("helice")  # no accent, as people type
    page.keyboard.press("Enter")
    page.wait_for_selector("text=1 proposition sur 20", timeout=20_000)
    assert "q=helice" in page.url

    tab_to(page, t("a11y.open_proposal", "fr"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Proposition n° 8')", timeout=30_000)
    assert "triple hélice" in main.inner_text()
    assert "n=8" in page.url
