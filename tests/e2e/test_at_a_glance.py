"""The dashboard and the table read at a glance in a real browser, at the widths
people use: whole-number ticks, key figures never cut, all twenty rows without
a scrollbar of the grid's own, filters that survive a visit to a proposal."""

from __future__ import annotations

import re

import pytest

from tests.browser import wait_for_page
from tracker.followup.table import ROW_HEIGHT, count_sentence
from tracker.i18n import t

LAPTOP, DESKTOP = 1280, 1920

# Every element inside a label whose text overflows its box (cut with « … »).
CUT_LABELS = """(selector) => {
  const cut = [];
  for (const label of document.querySelectorAll(selector)) {
    for (const e of [label, ...label.querySelectorAll('*')]) {
      if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
        cut.push(label.innerText.trim());
        break;
      }
    }
  }
  return cut;
}"""

# The grid's own scroller: whether it scrolls up and down.
GRID = """() => {
  const grid = document.querySelector("[data-testid='stDataFrame']");
  const scroller = grid.querySelector('.dvn-scroller');
  return { scrollHeight: scroller.scrollHeight, clientHeight: scroller.clientHeight };
}"""

# The tick labels Plotly drew on every chart's axes and colour bars.
TICKS = """() => [...document.querySelectorAll(
  "[data-testid='stPlotlyChart'] .xtick text, [data-testid='stPlotlyChart'] .ytick text,"
  + " [data-testid='stPlotlyChart'] .y2tick text, [data-testid='stPlotlyChart'] .cbaxis text"
)].map((e) => e.textContent)"""

CHARTS_DRAWN = """() => {
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.length >= 7 && charts.every((c) => c.querySelector('.main-svg'))
    && charts[charts.length - 1].querySelectorAll('.choroplethlayer path').length > 0;
}"""


@pytest.fixture
def tab(browser, request):
    """A tab whose width the test sets."""
    from tests.browser import keep_evidence, watch

    contexts = []

    def open_at(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        return watch(context.new_page())

    yield open_at
    for context in contexts:
        for page in context.pages:
            keep_evidence(page, request.node)
        context.close()


def opened(tab, url: str):
    tab.goto(url)
    wait_for_page(tab)
    return tab


@pytest.mark.parametrize("width", [LAPTOP, DESKTOP])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_key_figures_labels_are_never_cut(tab, app_url, width, lang):
    page = opened(tab(width), f"{app_url}/?lang={lang}")
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stMetricLabel'] p\").length === 5",
        timeout=30_000,
    )
    assert page.evaluate(CUT_LABELS, "[data-testid='stMetricLabel']") == []


def test_the_dashboard_ticks_are_whole_numbers(tab, app_url):
    page = opened(tab(LAPTOP), f"{app_url}/")
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    ticks = [x for x in page.evaluate(TICKS) if x.strip()]
    assert ticks
    with_decimals = [x for x in ticks if re.search(r"\d[,.]\d", x)]
    assert with_decimals == []  # « 0,5 » or « 3,79 » proposals


@pytest.mark.parametrize("width", [LAPTOP, DESKTOP])
def test_the_table_shows_its_twenty_rows_without_a_scrollbar_of_its_own(tab, app_url, width):
    page = opened(tab(width), f"{app_url}/propositions")
    page.wait_for_selector("[data-testid='stDataFrame'] .dvn-scroller", timeout=30_000)
    grid = page.evaluate(GRID)
    assert grid["scrollHeight"] <= grid["clientHeight"], grid
    assert grid["clientHeight"] >= 21 * ROW_HEIGHT  # twenty rows and the header, in view
    page.wait_for_selector(f"text={count_sentence(20, 20, 'fr')}")
    assert page.evaluate(CUT_LABELS, "[data-testid='stWidgetLabel']") == []


def the_list_shows(page, count: str) -> None:
    page.wait_for_selector(
        f"[data-testid='stMain'] h1:has-text(\"{t('table.title', 'fr')}\")", timeout=30_000
    )
    wait_for_page(page)
    page.wait_for_selector(f"text={count}", timeout=30_000)
    assert "theme=durable" in page.url and "status=engagee" in page.url
    chosen = page.locator("[data-testid='stMultiSelect']").all_inner_texts()
    assert any("Durable" in x for x in chosen) and any("Engagée" in x for x in chosen)


def open_first_proposal(page) -> None:
    page.get_by_label(t("a11y.open_proposal", "fr")).click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid='stMain'] h1:has-text('Proposition n°')", timeout=30_000)
    wait_for_page(page)


def test_the_filters_survive_a_visit_to_a_proposal_by_link_and_by_back_button(tab, app_url):
    page = opened(tab(LAPTOP), f"{app_url}/propositions?theme=durable&status=engagee")
    count = page.locator("[data-testid='stMain'] strong", has_text="sur 20").first.inner_text()

    open_first_proposal(page)
    page.go_back()  # the browser's back button
    the_list_shows(page, count)

    open_first_proposal(page)
    page.get_by_role("link", name=t("proposal.back", "fr")).click()
    the_list_shows(page, count)
