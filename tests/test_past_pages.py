"""Public pages as they stood at a date (`?as_of=YYYY-MM-DD`), rebuilt from
history: statuses, progress, owners and validated contributions, with a clear
notice that the page shows a past state."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests import contribution_story as story
from tests.apptest import open_page, texts
from tests.hostile import CASES, IDS
from tracker.briefings.note import settings_from_params
from tracker.db.engine import make_engine
from tracker.db.unit_of_work import transaction
from tracker.domain.vocabulary import Status
from tracker.followup import aggregates, dashboard, queries
from tracker.followup.past import parse_day

PAST = date(2023, 6, 30)
NOTICE = "reconstituée à partir de l’historique"


def state_on(url: str, day: date):
    engine = make_engine(url)
    with transaction(engine) as session:
        proposals, history = queries.proposals_frame(session), queries.history_frame(session)
    engine.dispose()
    return aggregates.state_at(proposals, history, day)


def whole(value) -> int | None:
    return None if pd.isna(value) else int(value)


def with_story(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with transaction(engine) as session:
        ids = story.add_story(session)
    engine.dispose()
    return ids


def test_dashboard_at_a_date_shows_the_figures_of_that_date_and_says_so(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, as_of=PAST.isoformat())
    assert not app.exception
    assert NOTICE in texts(app) and "30 juin 2023" in texts(app)
    figures = aggregates.key_figures(state_on(demo_app_url, PAST), PAST)
    expected = [value for _, value, _ in dashboard.metrics(figures, "fr")]
    assert [m.value for m in app.metric] == expected
    today = open_page(monkeypatch, demo_app_url)
    assert NOTICE not in texts(today)


def test_dashboard_at_a_date_counts_the_contributions_validated_by_then(monkeypatch, demo_app_url):
    # The demonstration validated two contributions to proposal 4 by 10 March 2024.
    app = open_page(monkeypatch, demo_app_url, as_of="2024-03-10")
    assert "2 contribution(s) validée(s), portant sur 1 proposition(s)" in texts(app)
    assert "4 contribution(s) validée(s)" in texts(open_page(monkeypatch, demo_app_url))


def test_proposals_table_at_a_date_shows_the_statuses_of_then_and_keeps_the_date_in_links(
    monkeypatch, demo_app_url
):
    app = open_page(
        monkeypatch, demo_app_url, "propositions", as_of=PAST.isoformat(), theme="durable"
    )
    assert not app.exception
    assert NOTICE in texts(app)
    table = app.dataframe[0].value
    state = state_on(demo_app_url, PAST)
    durable = state[state["primary_theme"] == "durable"].set_index("number")
    assert sorted(table["N°"]) == sorted(durable.index)
    for number, progress in zip(table["N°"], table["Avancement"], strict=True):
        assert whole(progress) == whole(durable.at[number, "progress"]), number
    assert all(parse_qs(urlsplit(x).query)["as_of"] == [PAST.isoformat()] for x in table["Fiche"])
    assert app.query_params["as_of"] == PAST.isoformat()


def test_a_proposal_at_a_date_shows_its_contributions_as_validated_then(monkeypatch, demo_app_url):
    with_story(demo_app_url)
    then = open_page(monkeypatch, demo_app_url, "proposition", n="4", as_of="2024-08-01")
    assert not then.exception
    shown = texts(then)
    assert NOTICE in shown and "1er août 2024" in shown
    assert story.FIRST_TITLE in shown and story.HOSTILE_TITLE not in shown
    now = texts(open_page(monkeypatch, demo_app_url, "proposition", n="4"))
    assert story.HOSTILE_TITLE in now and story.FIRST_TITLE not in now
    before = texts(open_page(monkeypatch, demo_app_url, "proposition", n="4", as_of="2024-01-31"))
    assert "Pilote « French cité »" not in before  # validated on 5 March 2024


def test_a_proposal_at_a_date_shows_its_status_of_then(monkeypatch, demo_app_url):
    state = state_on(demo_app_url, PAST).set_index("number")
    app = open_page(monkeypatch, demo_app_url, "proposition", n="1", as_of=PAST.isoformat())
    assert Status(state.at[1, "status"]).badge("fr") in texts(app)


def test_a_date_that_cannot_be_used_is_said_and_the_current_state_shown(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "propositions", as_of="hier")
    assert not app.exception
    assert "`hier` n’est pas reconnue" in texts(app)
    assert NOTICE not in texts(app)
    early = open_page(monkeypatch, demo_app_url, as_of="2001-01-01", lang="en")
    assert "is before the report's adoption" in texts(early)
    assert "rebuilt from history" in texts(early)


def test_the_way_back_to_now_drops_the_date_from_the_address(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "propositions", as_of=PAST.isoformat())
    app.button(key="past_back_to_today").click().run()
    assert not app.exception
    assert "as_of" not in app.query_params
    assert NOTICE not in texts(app)


@pytest.mark.parametrize(("name", "text"), CASES, ids=IDS)
def test_hostile_dates_in_an_address_show_the_current_state_and_quote_the_value(name, text):
    asked = parse_day(text, date(2026, 1, 15), "fr")
    if asked.day is None and not asked.warnings:
        return  # blank once cleaned: the current state, nothing to say
    assert asked.day is None or asked.day >= date(2018, 7, 5)
    for warning in asked.warnings:
        assert "`" in warning  # the value is quoted as a code span, shown as typed
        assert "\x00" not in warning and "\u202e" not in warning


@pytest.mark.parametrize(("name", "text"), CASES[:12], ids=IDS[:12])
def test_hostile_note_addresses_never_break_the_note(name, text):
    sessions = pd.DataFrame(columns=["held_on", "label"])
    params = {"as_of": [text], "since": [text], "theme": [text], "owner": [text]}
    settings = settings_from_params(params, ["mel"], sessions, date(2026, 1, 15), "en")
    assert settings.since <= settings.as_of <= date(2026, 1, 15)
    assert set(settings.wanted.themes) <= {"connectee", "durable", "solidaire"}
    assert set(settings.wanted.owners) <= {"mel"}


def test_choosing_a_date_on_a_page_puts_it_in_the_address(monkeypatch, demo_app_url):
    app = open_page(monkeypatch, demo_app_url, "propositions", theme="durable")
    app.date_input(key="page_as_of").set_value(PAST).run()
    assert not app.exception
    assert app.query_params["as_of"] == PAST.isoformat()
    assert app.query_params["theme"] == "durable"
    assert NOTICE in texts(app)
    app.date_input(key="page_as_of").set_value(date.today()).run()
    assert "as_of" not in app.query_params
    assert NOTICE not in texts(app)
