"""The table page reads at a glance: the columns a person reads first, first;
a proposal's page hands the list's filters back."""

import pytest

from tests.apptest import open_page
from tracker.followup.table import SCREEN_COLUMNS, proposal_address
from tracker.i18n import t

FIRST_READ = (
    "col.number",
    "col.title",
    "col.badge",
    "col.status",
    "col.progress",
    "col.target_date",
    "col.lead_owner",
)


@pytest.fixture
def url(demo_app_url):
    return demo_app_url


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_columns_read_first_come_first_in_that_order(monkeypatch, url, lang):
    app = open_page(monkeypatch, url, "propositions", lang=lang)
    columns = list(app.dataframe[0].value.columns)
    assert columns[: len(FIRST_READ)] == [t(key, lang) for key in FIRST_READ]
    assert set(columns) == {t(key, lang) for key in SCREEN_COLUMNS}


def test_each_link_to_a_proposal_carries_the_filters(monkeypatch, url):
    app = open_page(monkeypatch, url, "propositions", theme="durable", status="engagee")
    links = list(app.dataframe[0].value[t("col.link", "fr")])
    assert links and all("theme=durable" in x and "status=engagee" in x for x in links)
    assert proposal_address(7, "en", None, {"theme": ["durable", "solidaire"], "q": "a b"}) == (
        "/proposition?n=7&lang=en&theme=durable&theme=solidaire&q=a+b"
    )


def test_the_back_link_of_a_proposal_hands_the_filters_back(monkeypatch, url):
    app = open_page(
        monkeypatch, url, "proposition", n="7", theme="connectee", q="données", owner="nobody"
    )
    (back,) = [x for x in app.get("page_link") if x.proto.label == t("proposal.back", "fr")]
    params = back.proto.query_string
    assert "theme=connectee" in params and "q=" in params and "lang=fr" in params
    assert "nobody" not in params  # an unknown owner is not carried back
