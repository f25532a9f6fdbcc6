"""The app in a real headless Chromium, as a person uses it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    chromium_available,
    run_ended,
    running_app,
    track_runs,
    wait_for_page,
)
from tests.conftest import ROOT, fresh_database
from tracker.i18n import typography

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    if not chromium_available():
        pytest.skip("Debian's chromium is not installed (make browser)")
    with fresh_database(tmp_path_factory.mktemp("browser")) as url, running_app(url) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    tab = track_runs(context.new_page())
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:  # keep what the browser showed
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


# The last chart (the world map) has drawn its countries.
MAP_DRAWN = """() => {
  const map = [...document.querySelectorAll("[data-testid='stPlotlyChart']")].pop();
  return map !== undefined && map.querySelectorAll(".choroplethlayer path").length > 0;
}"""


# A sub-page first: the first visit to a fresh server must already run inside
# the app's navigation (not Streamlit's old folder-based page list).
PAGES = [
    ("/propositions", "Les propositions", "The proposals"),
    ("/", "Tableau de bord", "Dashboard"),
    ("/proposition?n=1", "Proposition n° 1", "Proposal No. 1"),
    ("/a-propos", "À propos", "About"),
]


@pytest.mark.parametrize(("path", "french", "english"), PAGES)
def test_every_page_renders_without_error_in_french_and_english(
    page, app_url, path, french, english
):
    for lang, heading in (("fr", french), ("en", english)):
        separator = "&" if "?" in path else "?"
        page.goto(f"{app_url}{path}{separator}lang={lang}")
        wait_for_page(page)
        assert page.locator("[data-testid='stMain'] h1").first.inner_text() == heading
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stDialog']").count() == 0  # no "page not found"
        navigation = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert ("Tableau de bord" if lang == "fr" else "Dashboard") in navigation
        banner = "Données de démonstration" if lang == "fr" else "Demonstration data"
        assert banner in page.locator("[data-testid='stAlert']").first.inner_text()


def test_a_shared_filtered_link_shows_only_that_theme_and_says_how_many(page, app_url):
    page.goto(f"{app_url}/propositions?theme=solidaire")
    wait_for_page(page)
    assert "8 propositions sur 20" in page.locator("[data-testid='stMain']").inner_text()
    page.reload()
    wait_for_page(page)
    assert "8 propositions sur 20" in page.locator("[data-testid='stMain']").inner_text()
    assert "theme=solidaire" in page.url


def test_bad_parameters_get_a_friendly_message(page, app_url):
    for path, words in (
        ("/proposition?n=abc", "n’est pas un numéro"),
        ("/proposition?n=99", "Il n’y a pas de proposition n° 99"),
        ("/propositions?theme=xyz", typography("Le thème « xyz » n’existe pas", "fr")),
    ):
        page.goto(f"{app_url}{path}")
        page.wait_for_selector(f"text={words}", timeout=45_000)
        run_ended(page)  # no error drawn by the end of the run
        assert page.locator("[data-testid='stException']").count() == 0


def test_the_language_switch_turns_the_page_to_english(page, app_url):
    page.goto(f"{app_url}/a-propos")
    wait_for_page(page)
    page.get_by_role("radio", name="English").click()
    page.wait_for_selector("h1:has-text('About')", timeout=45_000)
    assert "lang=en" in page.url


def test_the_csv_download_opens_in_french_excel(page, app_url, tmp_path):
    page.goto(f"{app_url}/propositions?theme=durable")
    wait_for_page(page)
    with page.expect_download() as download:
        page.locator("[data-testid='stDownloadButton'] button", has_text="CSV").click()
    path = Path(tmp_path / "p.csv")
    download.value.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 6
    assert {r["Thème"] for r in rows} == {"Durable"}


def test_a_click_on_a_row_opens_that_proposals_page(page, app_url):
    page.goto(f"{app_url}/propositions?theme=durable")
    wait_for_page(page)
    grid = page.locator("[data-testid='stDataFrame']").bounding_box()
    # The row-selection box of the first row: left column, below the header.
    page.mouse.click(grid["x"] + 15, grid["y"] + 52)
    page.wait_for_url("**/proposition?n=*", timeout=30_000)
    wait_for_page(page)
    first_durable = page.url.split("n=")[1].split("&")[0]
    assert page.locator("[data-testid='stMain'] h1").first.inner_text() == (
        f"Proposition n° {first_durable}"
    )
    assert first_durable == "2"  # the first durable proposal of the catalogue


def test_the_dashboard_loads_nothing_from_outside_and_its_map_outline_from_the_app(page, app_url):
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(f"{app_url}/")
    wait_for_page(page)
    charts = page.locator("[data-testid='stPlotlyChart']")
    charts.last.scroll_into_view_if_needed()  # the map is the last chart
    # until the map has drawn its countries (from the outline it loads) and that
    # load is over: all the page asks for is asked by then
    page.wait_for_function(MAP_DRAWN, timeout=30_000)
    if not [r for r in requests if "/app/static/topojson/" in r.url]:
        page.wait_for_event(
            "requestfinished", lambda r: "/app/static/topojson/" in r.url, timeout=30_000
        )
    outside = [r.url for r in requests if not r.url.startswith((app_url, "data:", "blob:"))]
    assert outside == []
    maps = [r for r in requests if "/app/static/topojson/" in r.url]
    assert maps, "the world map's outline was never requested"
    assert all(r.response().status == 200 for r in maps)
